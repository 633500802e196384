import json

import pytest
from django.urls import reverse

from organisations.models import Contact
from tests.factories import AddressFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def detail_url(organisation) -> str:
    return reverse("organisations:detail", args=[organisation.pk])


def contact_create_url(organisation) -> str:
    return reverse("organisations:contact_create", args=[organisation.pk])


def contact_edit_url(contact) -> str:
    return reverse("organisations:contact_edit", args=[contact.organisation_id, contact.pk])


def contact_data(owner, **overrides) -> dict:
    return {
        "name": "Siân O'Neill",
        "role": "Manager",
        "owner": owner.pk,
        "email": "sian@example.org",
        "phone": "0113 496 0000",
        "additional_phone": "",
        "address": "",
        "url": "",
    } | overrides


def stored_contacts() -> list[tuple]:
    return list(Contact.objects.order_by("pk").values_list("organisation", "name", "role"))


# contact_create


def test_contact_create_offers_the_form_with_the_user_as_owner(administrator_client, administrator):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(contact_create_url(organisation))

    body = response.content.decode()
    assert "<h1>Add a contact at Leeds Motors</h1>" in body
    assert "<html" in body
    assert response.context["form"]["owner"].value() == administrator.pk


def test_contact_create_saves_the_phone_normalised(administrator_client, administrator):
    address = AddressFactory()
    organisation = address.organisation
    data = contact_data(administrator, address=address.pk, additional_phone="07912 345678")

    response = administrator_client.post(contact_create_url(organisation), data)

    contact = organisation.contacts.get()
    assert response["Location"] == detail_url(organisation)
    assert (contact.name, contact.role, contact.email, contact.address, contact.owner) == (
        "Siân O'Neill",
        "Manager",
        "sian@example.org",
        address,
        administrator,
    )
    assert (contact.phone.as_e164, contact.additional_phone.as_e164) == (
        "+441134960000",
        "+447912345678",
    )
    assert [record.history_user for record in contact.history.all()] == [administrator]


def test_contact_create_says_the_contact_was_saved(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator), follow=True
    )

    assert response.redirect_chain == [(detail_url(organisation), 302)]
    assert (
        '<p class="notice notice--success">Contact saved: Siân O&#x27;Neill.</p>'
        in response.content.decode()
    )


def test_contact_create_invalid_phone_shows_the_error_beside_the_field(
    administrator_client, administrator
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, phone="0113 496 000")
    )

    assert Contact.objects.count() == 0
    assert list(response.context["form"].errors) == ["phone"]
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'id="id_phone_error' in body
    assert "Enter a UK phone number, like 0113 496 0000 or 07912 345678." in body
    assert 'value="Siân O&#x27;Neill"' in body


def test_contact_create_requires_name_email_and_phone(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, name="", email="", phone="")
    )

    assert Contact.objects.count() == 0
    assert response.context["form"].errors == {
        "name": ["Enter the contact's name."],
        "email": ["Enter the contact's email address."],
        "phone": ["Enter the contact's phone number."],
    }


def test_contact_create_refuses_another_organisations_address(administrator_client, administrator):
    organisation = OrganisationFactory()
    AddressFactory(organisation=organisation)
    elsewhere = AddressFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, address=elsewhere.pk)
    )

    assert Contact.objects.count() == 0
    assert response.context["form"].errors == {
        "address": ["Choose one of the organisation's addresses."]
    }


def test_contact_create_offers_only_this_organisations_addresses(administrator_client):
    address = AddressFactory()
    AddressFactory()

    response = administrator_client.get(contact_create_url(address.organisation))

    assert list(response.context["form"].fields["address"].queryset) == [address]


def test_contact_create_htmx_get_returns_only_the_dialog(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(contact_create_url(organisation), headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert '<h2 id="dialog-title">Add a contact at Leeds Motors</h2>' in body
    assert "<html" not in body
    assert f'hx-post="{contact_create_url(organisation)}" hx-target="#dialog-content"' in body


def test_contact_create_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client, administrator
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator), headers=HTMX
    )

    assert stored_contacts() == [(organisation.pk, "Siân O'Neill", "Manager")]
    assert (response.status_code, response.content, response["HX-Reswap"]) == (200, b"", "none")
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": "Contact saved: Siân O'Neill.", "level": "success"}]},
        "organisationChanged": {},
    }


def test_contact_create_htmx_post_invalid_returns_the_dialog_with_errors(
    administrator_client, administrator
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, email=""), headers=HTMX
    )

    body = response.content.decode()
    assert Contact.objects.count() == 0
    assert "HX-Trigger" not in response
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert "<html" not in body
    assert 'href="#id_email">Enter the contact&#x27;s email address.</a>' in body


@pytest.mark.parametrize("method", ["get", "post"])
def test_contact_create_is_forbidden_to_compliance(compliance_client, compliance, method):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = getattr(compliance_client, method)(
        contact_create_url(organisation), contact_data(compliance)
    )

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Leeds Motors" not in body
    assert Contact.objects.count() == 0


def test_contact_create_for_a_missing_organisation_is_404(administrator_client, administrator):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(
        reverse("organisations:contact_create", args=[organisation.pk + 1]),
        contact_data(administrator),
    )

    assert response.status_code == 404
    assert "Leeds Motors" not in response.content.decode()
    assert Contact.objects.count() == 0


def test_contact_create_rejects_put(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.put(
        contact_create_url(organisation),
        contact_data(administrator),
        content_type="application/json",
    )

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert Contact.objects.count() == 0


# contact_edit


def test_contact_edit_htmx_get_returns_the_dialog_filled_in(administrator_client, make_contact):
    contact = make_contact(OrganisationFactory(), name="Sam Brown", role="Manager")

    response = administrator_client.get(contact_edit_url(contact), headers=HTMX)

    body = response.content.decode()
    assert '<h2 id="dialog-title">Edit Sam Brown</h2>' in body
    assert 'name="role" value="Manager"' in body
    assert "<html" not in body


def test_contact_edit_saves_changes_with_history(administrator_client, administrator, make_contact):
    organisation = OrganisationFactory()
    contact = make_contact(organisation)

    response = administrator_client.post(
        contact_edit_url(contact), contact_data(administrator, role="Director")
    )

    contact.refresh_from_db()
    assert response["Location"] == detail_url(organisation)
    assert (contact.name, contact.role, contact.organisation, contact.owner) == (
        "Siân O'Neill",
        "Director",
        organisation,
        administrator,
    )
    assert [record.history_user for record in contact.history.all()] == [administrator, None]
    assert Contact.objects.count() == 1


def test_contact_edit_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client, administrator, make_contact
):
    contact = make_contact(OrganisationFactory())

    response = administrator_client.post(
        contact_edit_url(contact), contact_data(administrator, role="Director"), headers=HTMX
    )

    assert stored_contacts() == [(contact.organisation_id, "Siân O'Neill", "Director")]
    assert (response.content, response["HX-Reswap"]) == (b"", "none")
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": "Contact saved: Siân O'Neill.", "level": "success"}]},
        "organisationChanged": {},
    }


def test_contact_edit_invalid_shows_errors_and_saves_nothing(
    administrator_client, administrator, make_contact
):
    contact = make_contact(OrganisationFactory())

    response = administrator_client.post(
        contact_edit_url(contact), contact_data(administrator, email="not an email")
    )

    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.history.count()) == ("Sam", "sam@example.org", 1)
    assert response.context["form"].errors == {
        "email": ["Enter an email address in the correct format, like name@example.com."]
    }


def test_contact_edit_of_another_organisations_contact_is_404(
    administrator_client, administrator, make_contact
):
    contact = make_contact(OrganisationFactory(name="Leeds Motors"), name="Sam Brown")
    other = OrganisationFactory(name="Aire Valley Care")

    response = administrator_client.post(
        reverse("organisations:contact_edit", args=[other.pk, contact.pk]),
        contact_data(administrator),
    )

    contact.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 404
    assert ("Leeds Motors" in body, "Sam Brown" in body) == (False, False)
    assert (contact.name, contact.organisation.name, contact.history.count()) == (
        "Sam Brown",
        "Leeds Motors",
        1,
    )
    assert other.contacts.count() == 0


def test_contact_edit_is_forbidden_to_compliance(compliance_client, compliance, make_contact):
    contact = make_contact(OrganisationFactory(), name="Sam Brown")

    response = compliance_client.post(contact_edit_url(contact), contact_data(compliance))

    contact.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Sam Brown" not in body
    assert (contact.name, contact.history.count()) == ("Sam Brown", 1)

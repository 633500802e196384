import json

import pytest
from django.urls import reverse

from organisations.models import Address
from tests.factories import AddressFactory, OrganisationFactory, PostcodeAddressFactory

pytestmark = pytest.mark.django_db

FIND_ADDRESS_URL = reverse("organisations:find_address")
HTMX = {"HX-Request": "true"}


def detail_url(organisation) -> str:
    return reverse("organisations:detail", args=[organisation.pk])


def address_create_url(organisation) -> str:
    return reverse("organisations:address_create", args=[organisation.pk])


def address_edit_url(address) -> str:
    return reverse("organisations:address_edit", args=[address.organisation_id, address.pk])


def make_primary_url(address) -> str:
    return reverse("organisations:address_make_primary", args=[address.organisation_id, address.pk])


def address_data(**overrides) -> dict:
    return {
        "address-postcode": "ls14ap",
        "address-line_1": "Unit 3",
        "address-line_2": "Tower Works",
        "address-line_3": "",
        "address-town": "Leeds",
        "address-county": "West Yorkshire",
    } | overrides


def stored_addresses() -> list[tuple]:
    return list(Address.objects.order_by("pk").values_list("organisation", "line_1", "is_primary"))


# find_address


def test_find_address_htmx_returns_only_the_address_fields_with_candidates(administrator_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.get(
        FIND_ADDRESS_URL, {"prefix": "address", "address-postcode": "ls14ap"}, headers=HTMX
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="address-fields-address">')
    assert body.count('id="address-fields-address"') == 1
    assert "<html" not in body
    assert '<label for="address-choice-0">1 Park Row, Leeds, LS1 4AP</label>' in body
    assert 'name="address-postcode" value="LS1 4AP"' in body


def test_find_address_use_address_fills_the_fieldset(administrator_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.get(
        FIND_ADDRESS_URL,
        {
            "prefix": "address",
            "address-postcode": "LS1 4AP",
            "address-choice": "0",
            "use_address": "1",
        },
        headers=HTMX,
    )

    body = response.content.decode()
    assert 'name="address-line_1" value="1 Park Row"' in body
    assert "Address filled in." in body
    assert Address.objects.count() == 0


def test_find_address_for_the_contact_fieldset_uses_its_prefix(administrator_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.get(
        FIND_ADDRESS_URL,
        {"prefix": "contact-address", "contact-address-postcode": "LS1 4AP"},
        headers=HTMX,
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="address-fields-contact-address">')
    assert 'name="contact-address-postcode" value="LS1 4AP"' in body
    assert 'id="address-fields-address"' not in body


def test_find_address_with_nothing_found_leaves_manual_entry(administrator_client):
    response = administrator_client.get(
        FIND_ADDRESS_URL, {"address-postcode": "SW1A 1AA"}, headers=HTMX
    )

    body = response.content.decode()
    assert "No addresses found for SW1A 1AA." in body
    assert 'name="address-line_1"' in body


def test_find_address_ignores_an_unknown_prefix(administrator_client):
    response = administrator_client.get(
        FIND_ADDRESS_URL, {"prefix": '"><script>', "address-postcode": "LS1 4AP"}, headers=HTMX
    )

    body = response.content.decode()
    assert 'id="address-fields-address"' in body
    assert '"><script>' not in body


def test_find_address_is_open_to_compliance(compliance_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = compliance_client.get(FIND_ADDRESS_URL, {"address-postcode": "LS1 4AP"})

    assert [candidate.line_1 for candidate in response.context["lookup"].candidates] == [
        "1 Park Row"
    ]


def test_find_address_rejects_post(administrator_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.post(FIND_ADDRESS_URL, {"address-postcode": "LS1 4AP"})

    body = response.content.decode()
    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert "1 Park Row" not in body
    assert Address.objects.count() == 0


def test_find_address_anonymous_htmx_is_sent_to_sign_in(client):
    response = client.get(FIND_ADDRESS_URL, headers=HTMX)

    assert response["HX-Redirect"] == f"/accounts/login/?next={FIND_ADDRESS_URL}"
    assert "address-fields" not in response.content.decode()


# address_create


def test_address_create_offers_the_form_as_a_page(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(address_create_url(organisation))

    body = response.content.decode()
    assert "<html" in body
    assert "<h1>Add an address for Leeds Motors</h1>" in body
    assert 'hx-post="' not in body


def test_address_create_saves_the_first_address_as_primary(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.post(address_create_url(organisation), address_data())

    address = organisation.addresses.get()
    assert response["Location"] == detail_url(organisation)
    assert (address.line_1, address.line_2, address.town, address.county) == (
        "Unit 3",
        "Tower Works",
        "Leeds",
        "West Yorkshire",
    )
    assert (address.postcode, address.is_primary) == ("LS1 4AP", True)
    assert [record.history_user for record in address.history.all()] == [administrator]


def test_address_create_says_the_address_was_saved(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        address_create_url(organisation), address_data(), follow=True
    )

    assert response.redirect_chain == [(detail_url(organisation), 302)]
    assert (
        '<p class="notice notice--success">Address saved: '
        "Unit 3, Tower Works, Leeds, West Yorkshire, LS1 4AP.</p>"
    ) in response.content.decode()


def test_address_create_adds_a_second_address_that_is_not_primary(administrator_client):
    first = AddressFactory(is_primary=True)

    administrator_client.post(
        address_create_url(first.organisation), address_data(**{"address-postcode": "gir0aa"})
    )

    assert list(first.organisation.addresses.values_list("postcode", "is_primary")) == [
        ("LS1 4AP", True),
        ("GIR 0AA", False),
    ]


def test_address_create_invalid_shows_errors_and_saves_nothing(administrator_client):
    organisation = OrganisationFactory()
    data = address_data(**{"address-postcode": "ZZ99 9ZZZ", "address-town": ""})

    response = administrator_client.post(address_create_url(organisation), data)

    assert Address.objects.count() == 0
    assert set(response.context["lookup"].form.errors) == {"postcode", "town"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="Unit 3"' in body


def test_address_create_htmx_get_returns_only_the_dialog(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(address_create_url(organisation), headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert '<h2 id="dialog-title">Add an address for Leeds Motors</h2>' in body
    assert "<html" not in body
    assert f'hx-post="{address_create_url(organisation)}" hx-target="#dialog-content"' in body


def test_address_create_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client,
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        address_create_url(organisation), address_data(), headers=HTMX
    )

    assert stored_addresses() == [(organisation.pk, "Unit 3", True)]
    assert (response.status_code, response.content, response["HX-Reswap"]) == (200, b"", "none")
    saved_text = f"Address saved: {organisation.addresses.get()}."
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": saved_text, "level": "success"}]},
        "organisationChanged": {},
    }


def test_address_create_htmx_post_invalid_returns_the_dialog_with_errors(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        address_create_url(organisation),
        address_data(**{"address-line_1": ""}),
        headers=HTMX,
    )

    body = response.content.decode()
    assert Address.objects.count() == 0
    assert "HX-Trigger" not in response
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert "<html" not in body
    assert (
        'href="#id_address-line_1">Enter address line 1, typically the building and street.</a>'
        in body
    )


def test_address_create_find_address_without_javascript_lists_the_candidates(
    administrator_client,
):
    organisation = OrganisationFactory()
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.post(
        address_create_url(organisation),
        {"address-postcode": "LS1 4AP", "find_address": "1"},
    )

    assert Address.objects.count() == 0
    assert '<label for="address-choice-0">1 Park Row, Leeds, LS1 4AP</label>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_address_create_is_forbidden_to_compliance(compliance_client, method):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = getattr(compliance_client, method)(address_create_url(organisation), address_data())

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Leeds Motors" not in body
    assert Address.objects.count() == 0


def test_address_create_for_a_missing_organisation_is_404(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(
        reverse("organisations:address_create", args=[organisation.pk + 1]), address_data()
    )

    body = response.content.decode()
    assert response.status_code == 404
    assert "Leeds Motors" not in body
    assert Address.objects.count() == 0


def test_address_create_rejects_put(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.put(
        address_create_url(organisation), address_data(), content_type="application/json"
    )

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert Address.objects.count() == 0


# address_edit


def test_address_edit_offers_the_address_filled_in(administrator_client):
    address = AddressFactory(organisation__name="Leeds Motors", line_1="1 Park Row")

    response = administrator_client.get(address_edit_url(address), headers=HTMX)

    body = response.content.decode()
    assert '<h2 id="dialog-title">Edit an address for Leeds Motors</h2>' in body
    assert 'name="address-line_1" value="1 Park Row"' in body
    assert "<html" not in body


def test_address_edit_saves_changes_with_history(administrator_client, administrator):
    address = AddressFactory(is_primary=True)

    response = administrator_client.post(
        address_edit_url(address), address_data(**{"address-line_1": "Unit 4"})
    )

    address.refresh_from_db()
    assert response["Location"] == detail_url(address.organisation)
    assert (address.line_1, address.line_2, address.is_primary) == ("Unit 4", "Tower Works", True)
    assert [record.history_user for record in address.history.all()] == [administrator, None]
    assert Address.objects.count() == 1


def test_address_edit_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client,
):
    address = AddressFactory(line_1="1 Park Row")

    response = administrator_client.post(
        address_edit_url(address), address_data(**{"address-line_1": "2 Park Row"}), headers=HTMX
    )

    assert stored_addresses() == [(address.organisation_id, "2 Park Row", False)]
    assert (response.content, response["HX-Reswap"]) == (b"", "none")
    address.refresh_from_db()
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": f"Address saved: {address}.", "level": "success"}]},
        "organisationChanged": {},
    }


def test_address_edit_invalid_shows_errors_and_saves_nothing(administrator_client):
    address = AddressFactory(line_1="1 Park Row", postcode="LS1 4AP")

    response = administrator_client.post(
        address_edit_url(address), address_data(**{"address-postcode": "ZZ99 9ZZZ"})
    )

    address.refresh_from_db()
    assert (address.line_1, address.postcode, address.history.count()) == (
        "1 Park Row",
        "LS1 4AP",
        1,
    )
    assert (
        'href="#id_address-postcode">Enter a real UK postcode, like SW1A 1AA.</a>'
        in response.content.decode()
    )


def test_address_edit_of_another_organisations_address_is_404(administrator_client):
    address = AddressFactory(organisation__name="Leeds Motors", line_1="1 Park Row")
    other = OrganisationFactory(name="Aire Valley Care")

    response = administrator_client.post(
        reverse("organisations:address_edit", args=[other.pk, address.pk]), address_data()
    )

    address.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 404
    assert ("Leeds Motors" in body, "1 Park Row" in body) == (False, False)
    assert (address.line_1, address.line_2, address.history.count()) == ("1 Park Row", "", 1)
    assert other.addresses.count() == 0


def test_address_edit_is_forbidden_to_compliance(compliance_client):
    address = AddressFactory(line_1="1 High Street")

    response = compliance_client.post(address_edit_url(address), address_data())

    address.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "1 High Street" not in body
    assert (address.line_1, address.history.count()) == ("1 High Street", 1)


# address_make_primary


def test_address_make_primary_moves_the_flag_with_a_history_row_per_change(
    administrator_client, administrator
):
    first = AddressFactory(line_1="1 High Street", is_primary=True)
    second = AddressFactory(line_1="2 High Street", organisation=first.organisation)

    response = administrator_client.post(make_primary_url(second))

    assert response["Location"] == detail_url(first.organisation)
    assert list(first.organisation.addresses.values_list("line_1", "is_primary")) == [
        ("2 High Street", True),
        ("1 High Street", False),
    ]
    assert [(r.is_primary, r.history_user) for r in first.history.all()] == [
        (False, administrator),
        (True, None),
    ]
    assert [(r.is_primary, r.history_user) for r in second.history.all()] == [
        (True, administrator),
        (False, None),
    ]


def test_address_make_primary_says_which_address_is_primary(administrator_client):
    address = AddressFactory(line_1="2 High Street")

    response = administrator_client.post(make_primary_url(address), follow=True)

    assert response.redirect_chain == [(detail_url(address.organisation), 302)]
    assert (
        '<p class="notice notice--success">2 High Street, Leeds, LS1 4AP is now the primary '
        "address.</p>"
    ) in response.content.decode()


def test_address_make_primary_rejects_get(administrator_client):
    address = AddressFactory()

    response = administrator_client.get(make_primary_url(address))

    address.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert (address.is_primary, address.history.count()) == (False, 1)


def test_address_make_primary_is_forbidden_to_compliance(compliance_client):
    address = AddressFactory(line_1="1 High Street")

    response = compliance_client.post(make_primary_url(address))

    address.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 403
    assert "1 High Street" not in body
    assert (address.is_primary, address.history.count()) == (False, 1)


def test_address_make_primary_of_another_organisations_address_is_404(administrator_client):
    address = AddressFactory(organisation__name="Leeds Motors", line_1="1 Park Row")
    other = OrganisationFactory(name="Aire Valley Care")

    response = administrator_client.post(
        reverse("organisations:address_make_primary", args=[other.pk, address.pk])
    )

    address.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 404
    assert ("Leeds Motors" in body, "1 Park Row" in body) == (False, False)
    assert (address.is_primary, address.history.count()) == (False, 1)

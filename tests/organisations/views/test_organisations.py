import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from organisations.models import Address, Contact, Organisation
from tests.factories import AddressFactory, OrganisationFactory, PostcodeAddressFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("organisations:list")
CREATE_URL = reverse("organisations:create")
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = HTMX | {"HX-History-Restore-Request": "true"}
MARKUP = "<script>alert('x')</script> & Co"
CONFIRMED = Organisation.Status.CONFIRMED
UNCONFIRMED = Organisation.Status.UNCONFIRMED


def detail_url(organisation) -> str:
    return reverse("organisations:detail", args=[organisation.pk])


def edit_url(organisation) -> str:
    return reverse("organisations:edit", args=[organisation.pk])


def confirm_url(organisation) -> str:
    return reverse("organisations:confirm", args=[organisation.pk])


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].rows]


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Address.objects.count(), Contact.objects.count()


ORGANISATION_FIELDS = ["name", "owner", "type", "category", "ukprn", "website", "status"]


def organisation_data(owner, **overrides) -> dict:
    """The edit form as a browser posts it."""
    return {
        "name": "The Harbour Street Bakery",
        "owner": owner.pk,
        "type": "employer",
        "category": "",
        "ukprn": "",
        "website": "",
        "status": "unconfirmed",
        "loaded_version": "1",  # the hidden field: the version the form was loaded at
    } | overrides


def create_data(owner, **overrides) -> dict:
    """The create form as a browser posts it, first address and contact left blank.
    Overrides named after an organisation field go to the (prefixed) organisation form."""
    organisation = {key: value for key, value in overrides.items() if key in ORGANISATION_FIELDS}
    others = {key: value for key, value in overrides.items() if key not in ORGANISATION_FIELDS}
    return (
        {
            f"organisation-{name}": value
            for name, value in organisation_data(owner, **organisation).items()
        }
        | {
            "address-postcode": "",
            "address-line_1": "",
            "address-line_2": "",
            "address-line_3": "",
            "address-town": "",
            "address-county": "",
            "contact-name": "",
            "contact-role": "",
            "contact-owner": owner.pk,
            "contact-email": "",
            "contact-phone": "",
            "contact-additional_phone": "",
            "contact-url": "",
        }
        | others
    )


FIRST_ADDRESS = {
    "address-postcode": "yo213pu",
    "address-line_1": "1 Harbour Street",
    "address-town": "Whitby",
}
FIRST_CONTACT = {
    "contact-name": "Siân O'Neill",
    "contact-role": "Owner",
    "contact-email": "sian@example.org",
    "contact-phone": "0113 496 0000",
}


# organisation_list


def test_organisation_list_shows_organisations_by_name(client, compliance):
    OrganisationFactory(name="Zephyr Taxis", status=CONFIRMED)
    OrganisationFactory(name="Aire Valley Care")
    client.force_login(compliance)

    response = client.get(LIST_URL)

    assertTemplateUsed(response, "organisations/organisation_list.html")
    assert names(response) == ["Aire Valley Care", "Zephyr Taxis"]
    assert "Add organisation" not in response.content.decode()


def test_organisation_list_offers_add_to_administrators(administrator_client):
    response = administrator_client.get(LIST_URL)

    assert f'href="{CREATE_URL}">Add organisation</a>' in response.content.decode()


def test_organisation_list_anonymous_redirects_to_sign_in(client):
    response = client.get(LIST_URL, {"q": "bakery"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/organisations/%3Fq%3Dbakery"


def test_organisation_list_without_permission_is_forbidden(client, django_user_model):
    OrganisationFactory(name="Leeds Motors")
    nobody = django_user_model.objects.create_user("nobody")
    nobody.user_permissions.add(Permission.objects.get(codename="use_front_end"))
    client.force_login(nobody)

    response = client.get(LIST_URL)

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Leeds Motors" not in body


@pytest.mark.parametrize("q", ["harbour", "STREET bak", "  bakery "])
def test_organisation_list_searches_by_part_of_the_name(administrator_client, q):
    OrganisationFactory(name="The Harbour Street Bakery")
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(LIST_URL, {"q": q})

    assert names(response) == ["The Harbour Street Bakery"]


@pytest.mark.parametrize("q", ["LS1 4AP", "ls14ap"])
def test_organisation_list_searches_by_postcode(administrator_client, q):
    AddressFactory(organisation__name="Leeds Motors", postcode="LS1 4AP")
    AddressFactory(organisation__name="Manchester Motors", postcode="M1 1AE")

    response = administrator_client.get(LIST_URL, {"q": q})

    assert names(response) == ["Leeds Motors"]


def test_organisation_list_filters_by_status_type_and_category(administrator_client):
    OrganisationFactory(name="A", status=CONFIRMED)
    OrganisationFactory(name="B", type=Organisation.Type.TRAINING)
    OrganisationFactory(name="C", category="I")

    by_status = administrator_client.get(LIST_URL, {"status": "confirmed"})
    by_type = administrator_client.get(LIST_URL, {"type": "training"})
    by_category = administrator_client.get(LIST_URL, {"category": "I"})
    combined = administrator_client.get(LIST_URL, {"status": "unconfirmed", "category": "I"})

    assert names(by_status) == ["A"]
    assert names(by_type) == ["B"]
    assert names(by_category) == ["C"]
    assert names(combined) == ["C"]


def test_organisation_list_keeps_the_search_when_a_filter_is_invalid(administrator_client):
    OrganisationFactory(name="The Harbour Street Bakery")
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(LIST_URL, {"q": "bakery", "status": "bogus"})

    assert names(response) == ["The Harbour Street Bakery"]
    assert list(response.context["form"].errors) == ["status"]


def test_organisation_list_with_nothing_found_says_so(administrator_client):
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(LIST_URL, {"q": "bakery"})

    assert names(response) == []
    assert "No organisations match your search." in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_list_query_count_is_constant(
    administrator_client, rows, django_assert_num_queries
):
    for organisation in OrganisationFactory.create_batch(rows):
        AddressFactory(organisation=organisation)

    # session, user, permissions (2), page rows with owners, header teams
    with django_assert_num_queries(6):
        response = administrator_client.get(LIST_URL, {"q": "employer"})

    assert len(names(response)) == rows


def test_organisation_list_pages_without_counting(administrator_client, settings):
    settings.PAGE_SIZE = 2
    for name in ["Adams Ltd", "Baker Ltd", "Clark Ltd"]:
        OrganisationFactory(name=name)

    first = administrator_client.get(LIST_URL, {"q": "ltd"})
    second = administrator_client.get(LIST_URL, {"q": "ltd", "page": "2"})

    assert (names(first), first.context["page"].has_next) == (["Adams Ltd", "Baker Ltd"], True)
    assert (names(second), second.context["page"].has_next) == (["Clark Ltd"], False)
    assert 'href="?q=ltd&amp;page=2"' in first.content.decode()


def test_organisation_list_htmx_returns_only_the_results_fragment(administrator_client):
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(LIST_URL, headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="organisation-results"')
    assert body.count('id="organisation-results"') == 1
    assert "<html" not in body
    assert "Leeds Motors" in body


def test_organisation_list_htmx_history_restore_returns_the_whole_page(administrator_client):
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(LIST_URL, headers=HISTORY_RESTORE)

    body = response.content.decode()
    assert body.lstrip().startswith("<!doctype html>")
    assert "<h1>Organisations</h1>" in body
    assert body.count('id="organisation-results"') == 1
    assert names(response) == ["Leeds Motors"]


def test_organisation_list_escapes_markup_in_names(administrator_client):
    OrganisationFactory(name=MARKUP)

    response = administrator_client.get(LIST_URL)

    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in body


def test_organisation_list_rejects_post(administrator_client):
    OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(LIST_URL, {"name": "Aire Valley Care"})

    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Leeds Motors"]
    assert "Leeds Motors" not in response.content.decode()


# organisation_detail


def test_organisation_detail_shows_details_addresses_contacts_and_history(
    administrator_client, administrator, make_contact
):
    organisation = OrganisationFactory(
        name="Caffè Nero O'Brien", category="I", ukprn="10012345", owner=administrator
    )
    address = AddressFactory(organisation=organisation, line_1="1 Park Row", is_primary=True)
    make_contact(organisation, name="Zoë Brontë", email="zoe@example.org", address=address)

    response = administrator_client.get(detail_url(organisation))

    assertTemplateUsed(response, "organisations/organisation_detail.html")
    body = response.content.decode()
    assert "<h1>Caffè Nero O&#x27;Brien" in body
    assert "I – Accommodation and food service activities" in body
    assert "1 Park Row<br>Leeds<br>LS1 4AP" in body
    assert "Zoë Brontë" in body
    assert "+44 113 496 0000" in body
    assert [change.record.history_type for change in response.context["history"]] == ["+"]
    assert "Confirm organisation" in body


def test_organisation_detail_lists_the_fields_each_change_made(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")
    organisation.name = "Leeds Motors (Holbeck)"
    organisation.ukprn = "10012345"
    organisation.save()

    response = administrator_client.get(detail_url(organisation))

    assert [change.fields for change in response.context["history"]] == [
        ["name", "UKPRN"],
        [],
    ]


def test_organisation_detail_hides_changes_from_compliance(compliance_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = compliance_client.get(detail_url(organisation))

    body = response.content.decode()
    assert "<h1>Leeds Motors" in body
    assert "Confirm organisation" not in body
    assert edit_url(organisation) not in body
    assert reverse("organisations:address_create", args=[organisation.pk]) not in body
    assert reverse("organisations:contact_create", args=[organisation.pk]) not in body


def test_organisation_detail_of_a_missing_organisation_is_404(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(reverse("organisations:detail", args=[organisation.pk + 1]))

    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body
    assert "Leeds Motors" not in body


def test_organisation_detail_anonymous_redirects_to_sign_in(client):
    organisation = OrganisationFactory()

    response = client.get(detail_url(organisation))

    assert response["Location"] == f"/accounts/login/?next={detail_url(organisation)}"


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_detail_query_count_is_constant(
    administrator_client, rows, django_assert_num_queries, make_contact
):
    organisation = OrganisationFactory()
    for _ in range(rows):
        make_contact(organisation, address=AddressFactory(organisation=organisation))

    # session, user, permissions (2), organisation, addresses, contacts, history, header teams
    with django_assert_num_queries(9):
        response = administrator_client.get(detail_url(organisation))

    assert len(response.context["organisation"].contacts.all()) == rows


def test_organisation_detail_htmx_returns_only_the_addresses_and_contacts(administrator_client):
    organisation = OrganisationFactory()
    AddressFactory(organisation=organisation, line_1="1 Park Row")

    response = administrator_client.get(detail_url(organisation), headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="organisation-addresses-contacts"')
    assert body.count('id="organisation-addresses-contacts"') == 1
    assert "<html" not in body
    assert "1 Park Row" in body


def test_organisation_detail_escapes_markup(administrator_client, make_contact):
    organisation = OrganisationFactory(name=MARKUP)
    AddressFactory(organisation=organisation, line_1=MARKUP)
    make_contact(organisation, name=MARKUP, email="x@example.org")

    response = administrator_client.get(detail_url(organisation))

    body = response.content.decode()
    assert "<script>alert" not in body
    # title, heading, address, its Edit and Make primary labels, contact and its Edit label
    assert body.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co") == 7


def test_organisation_detail_rejects_post(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(detail_url(organisation), {"name": "Changed"})

    organisation.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert (organisation.name, organisation.history.count()) == ("Leeds Motors", 1)
    assert "Leeds Motors" not in response.content.decode()


# organisation_create


def test_organisation_create_offers_the_form_with_the_user_as_owner(
    administrator_client, administrator
):
    response = administrator_client.get(CREATE_URL)

    assertTemplateUsed(response, "organisations/organisation_create.html")
    assert response.context["form"]["owner"].value() == administrator.pk
    assert [value for value, _ in response.context["form"].fields["status"].choices] == [
        "unconfirmed",
        "confirmed",
    ]
    assert "<html" in response.content.decode()


def test_organisation_create_saves_the_organisation_first_address_and_contact(
    administrator_client, administrator
):
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT)

    response = administrator_client.post(CREATE_URL, data)

    organisation = Organisation.objects.get()
    address = Address.objects.get()
    contact = Contact.objects.get()
    assert response["Location"] == detail_url(organisation)
    assert (organisation.name, organisation.owner, organisation.status) == (
        "The Harbour Street Bakery",
        administrator,
        UNCONFIRMED,
    )
    assert (organisation.confirmed_by, organisation.confirmed_at) == (None, None)
    assert (address.organisation, address.is_primary, address.postcode, address.line_1) == (
        organisation,
        True,
        "YO21 3PU",
        "1 Harbour Street",
    )
    assert (contact.organisation, contact.address, contact.name, contact.phone.as_e164) == (
        organisation,
        address,
        "Siân O'Neill",
        "+441134960000",
    )
    assert [record.history_user for record in organisation.history.all()] == [administrator]
    assert [record.history_user for record in address.history.all()] == [administrator]
    assert [record.history_user for record in contact.history.all()] == [administrator]


def test_organisation_create_says_it_was_added(administrator_client, administrator):
    response = administrator_client.post(CREATE_URL, create_data(administrator), follow=True)

    assert response.redirect_chain == [(detail_url(Organisation.objects.get()), 302)]
    assert (
        '<p class="notice notice--success">The Harbour Street Bakery was added.</p>'
        in response.content.decode()
    )


def test_organisation_create_with_blank_address_and_contact_saves_only_the_organisation(
    administrator_client, administrator
):
    response = administrator_client.post(CREATE_URL, create_data(administrator))

    organisation = Organisation.objects.get()
    assert response["Location"] == detail_url(organisation)
    assert counts() == (1, 0, 0)


def test_organisation_create_as_confirmed_records_who_and_when(client, supervisor):
    client.force_login(supervisor)
    data = create_data(supervisor, status="confirmed")
    before = datetime.datetime.now(tz=datetime.UTC)

    client.post(CREATE_URL, data)

    organisation = Organisation.objects.get()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert before <= organisation.confirmed_at <= datetime.datetime.now(tz=datetime.UTC)


def test_organisation_create_refuses_archived(administrator_client, administrator):
    response = administrator_client.post(CREATE_URL, create_data(administrator, status="archived"))

    assert counts() == (0, 0, 0)
    assert response.context["form"].errors == {"status": ["Choose a status from the list."]}


def test_organisation_create_keeps_apostrophes_accents_and_markup_as_typed(
    administrator_client, administrator
):
    name = "Siobhán's Café <b>&</b> Co"

    administrator_client.post(CREATE_URL, create_data(administrator, name=name))

    organisation = Organisation.objects.get()
    assert organisation.name == name
    body = administrator_client.get(detail_url(organisation)).content.decode()
    assert "Siobhán&#x27;s Café &lt;b&gt;&amp;&lt;/b&gt; Co" in body
    assert "<b>&</b>" not in body


@pytest.mark.parametrize("method", ["get", "post"])
def test_organisation_create_is_forbidden_to_compliance(compliance_client, compliance, method):
    response = getattr(compliance_client, method)(CREATE_URL, create_data(compliance))

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Add an organisation" not in body
    assert counts() == (0, 0, 0)


def test_organisation_create_anonymous_redirects_to_sign_in(client):
    response = client.get(CREATE_URL)

    assert response["Location"] == f"/accounts/login/?next={CREATE_URL}"


def test_organisation_create_rejects_put(administrator_client, administrator):
    response = administrator_client.put(
        CREATE_URL, create_data(administrator), content_type="application/json"
    )

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert counts() == (0, 0, 0)


def test_organisation_create_invalid_organisation_saves_no_address_or_contact(
    administrator_client, administrator
):
    data = create_data(
        administrator,
        name=" ",
        ukprn="20012345",
        website="not a website",
        **FIRST_ADDRESS,
        **FIRST_CONTACT,
    )

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert set(response.context["form"].errors) == {"name", "ukprn", "website"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_organisation-ukprn">A UKPRN is 8 digits starting with 1.</a>' in body
    assert 'id="id_organisation-ukprn_error' in body
    assert 'value="1 Harbour Street"' in body
    assert 'value="Siân O&#x27;Neill"' in body


def test_organisation_create_invalid_address_saves_no_organisation(
    administrator_client, administrator
):
    data = create_data(
        administrator, **FIRST_ADDRESS | {"address-postcode": "ZZ99 9ZZ"}, **FIRST_CONTACT
    )

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_address-postcode">Enter a real UK postcode, like SW1A 1AA.</a>' in body
    assert 'value="The Harbour Street Bakery"' in body


def test_organisation_create_incomplete_address_shows_the_missing_fields(
    administrator_client, administrator
):
    data = create_data(administrator, **{"address-postcode": "LS1 4AP"})

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert "There is a problem" in response.content.decode()
    assert set(response.context["entry"].address_lookup.form.errors) == {"line_1", "town"}


def test_organisation_create_invalid_contact_phone_saves_nothing(
    administrator_client, administrator
):
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT | {"contact-phone": "12345"})

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert list(response.context["entry"].contact.errors) == ["phone"]
    assert 'href="#id_contact-phone">' in response.content.decode()


def test_organisation_create_warns_of_a_similar_name_and_saves_nothing(
    administrator_client, administrator
):
    existing = OrganisationFactory(name="The Harbour Street Bakery")
    data = create_data(administrator, name="Harbour Street Bakery Ltd", **FIRST_CONTACT)

    response = administrator_client.post(CREATE_URL, data)

    assert response.context["duplicates"] == [existing]
    assert list(Organisation.objects.all()) == [existing]
    body = response.content.decode()
    assert "This organisation may already exist" in body
    assert f'<a href="{detail_url(existing)}">View this organisation</a>' in body
    assert 'name="create_anyway"' in body
    assert 'value="Harbour Street Bakery Ltd"' in body


def test_organisation_create_warns_of_an_organisation_at_the_same_postcode(
    administrator_client, administrator
):
    existing = AddressFactory(organisation__name="Leeds Motors", postcode="YO21 3PU").organisation

    response = administrator_client.post(CREATE_URL, create_data(administrator, **FIRST_ADDRESS))

    assert response.context["duplicates"] == [existing]
    assert counts() == (1, 1, 0)
    assert "Leeds Motors</strong> (Unconfirmed, YO21 3PU)" in response.content.decode()


def test_organisation_create_anyway_creates_it_despite_the_warning(
    administrator_client, administrator
):
    OrganisationFactory(name="The Harbour Street Bakery")
    data = create_data(
        administrator, name="Harbour Street Bakery Ltd", create_anyway="1", **FIRST_ADDRESS
    )

    response = administrator_client.post(CREATE_URL, data)

    organisation = Organisation.objects.get(name="Harbour Street Bakery Ltd")
    assert response["Location"] == detail_url(organisation)
    assert list(organisation.addresses.values_list("postcode", flat=True)) == ["YO21 3PU"]


def test_organisation_create_duplicate_warning_offers_to_use_it_for_the_next_page(
    administrator_client, administrator
):
    existing = OrganisationFactory(name="The Harbour Street Bakery")
    data = create_data(administrator, name="Harbour Street Bakery", next="/participants/")

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (1, 0, 0)
    assert (
        f'<a href="/participants/?organisation={existing.pk}">Use this organisation</a>'
        in response.content.decode()
    )


def test_organisation_create_duplicate_warning_in_a_dialog_offers_to_choose_it(
    administrator_client, administrator
):
    existing = OrganisationFactory(name="The Harbour Street Bakery")

    response = administrator_client.post(
        CREATE_URL, create_data(administrator, name="Harbour Street Bakery"), headers=HTMX
    )

    assert counts() == (1, 0, 0)
    assert (
        f'data-choose-organisation data-value="{existing.pk}" '
        'data-label="The Harbour Street Bakery">Use this organisation</button>'
    ) in response.content.decode()


def test_organisation_create_duplicate_warning_escapes_markup_in_the_name(
    administrator_client, administrator
):
    existing = OrganisationFactory(name=f"{MARKUP} Bakery")

    response = administrator_client.post(
        CREATE_URL, create_data(administrator, name=f"{MARKUP} Bakery"), headers=HTMX
    )

    body = response.content.decode()
    assert response.context["duplicates"] == [existing]
    assert "<script>alert" not in body
    assert 'data-label="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co Bakery"' in body


def test_organisation_create_redirects_to_next_with_the_new_organisation(
    administrator_client, administrator
):
    data = create_data(administrator, next="/participants/?q=smith")

    response = administrator_client.post(CREATE_URL, data)

    organisation = Organisation.objects.get()
    assert response["Location"] == f"/participants/?q=smith&organisation={organisation.pk}"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_organisation_create_ignores_a_next_url_off_the_site(
    administrator_client, administrator, next_url
):
    response = administrator_client.post(CREATE_URL, create_data(administrator, next=next_url))

    organisation = Organisation.objects.get()
    assert response["Location"] == detail_url(organisation)


def test_organisation_create_page_keeps_next_in_the_form(administrator_client):
    response = administrator_client.get(CREATE_URL, {"next": "/participants/"})
    off_site = administrator_client.get(CREATE_URL, {"next": "https://evil.example/"})

    assert '<input type="hidden" name="next" value="/participants/">' in response.content.decode()
    assert 'name="next"' not in off_site.content.decode()


def test_organisation_create_htmx_get_returns_only_the_dialog(administrator_client):
    response = administrator_client.get(CREATE_URL, headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert '<h2 id="dialog-title">Add an organisation</h2>' in body
    assert "<html" not in body
    assert f'hx-post="{CREATE_URL}" hx-target="#dialog-content"' in body


def test_organisation_create_htmx_post_closes_the_dialog_and_selects_the_organisation(
    administrator_client, administrator
):
    data = create_data(administrator, name="Café Ōtautahi", next="/participants/")

    response = administrator_client.post(CREATE_URL, data, headers=HTMX)

    organisation = Organisation.objects.get()
    assert organisation.name == "Café Ōtautahi"
    assert (response.status_code, response.content) == (200, b"")
    assert response["HX-Reswap"] == "none"
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": "Café Ōtautahi was added.", "level": "success"}]},
        "organisationCreated": {"value": organisation.pk, "label": "Café Ōtautahi"},
    }


def test_organisation_create_htmx_post_invalid_returns_the_form_with_errors(
    administrator_client, administrator
):
    response = administrator_client.post(
        CREATE_URL, create_data(administrator, name=""), headers=HTMX
    )

    body = response.content.decode()
    assert counts() == (0, 0, 0)
    assert "HX-Trigger" not in response
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert "<html" not in body
    assert "There is a problem" in body
    assert 'href="#id_organisation-name">Enter the organisation&#x27;s name.</a>' in body


def test_organisation_create_find_address_without_javascript_lists_the_candidates(
    administrator_client, administrator
):
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row")
    data = create_data(
        administrator,
        name="Siân's Bakery",
        find_address="1",
        **{"address-postcode": "ls14ap"},
        **FIRST_CONTACT,
    )

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert [
        candidate.line_1 for candidate in response.context["entry"].address_lookup.candidates
    ] == [
        "1 Park Row",
        "2 Park Row",
    ]
    body = response.content.decode()
    assert "2 addresses found for LS1 4AP." in body
    assert '<label for="address-choice-1">2 Park Row, Leeds, LS1 4AP</label>' in body
    assert 'value="Siân&#x27;s Bakery"' in body
    assert 'value="sian@example.org"' in body
    assert 'value="0113 496 0000"' in body
    assert "There is a problem" not in body


def test_organisation_create_use_address_without_javascript_fills_the_address(
    administrator_client, administrator
):
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row", county="West Yorkshire")
    data = create_data(
        administrator,
        use_address="1",
        **{"address-postcode": "LS1 4AP", "address-choice": "1"},
        next="/participants/",
    )

    response = administrator_client.post(CREATE_URL, data)

    form = response.context["entry"].address_lookup.form
    assert counts() == (0, 0, 0)
    assert {name: form[name].value() for name in ["line_1", "town", "county", "postcode"]} == {
        "line_1": "2 Park Row",
        "town": "Leeds",
        "county": "West Yorkshire",
        "postcode": "LS1 4AP",
    }
    body = response.content.decode()
    assert "Address filled in. Check it before you save." in body
    assert '<input type="hidden" name="next" value="/participants/">' in body


# organisation_edit


def test_organisation_edit_offers_the_form_filled_in(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors", ukprn="10012345")

    response = administrator_client.get(edit_url(organisation))

    assertTemplateUsed(response, "organisations/organisation_edit.html")
    assert {name: response.context["form"][name].value() for name in ["name", "ukprn"]} == {
        "name": "Leeds Motors",
        "ukprn": "10012345",
    }
    assert [value for value, _ in response.context["form"].fields["status"].choices] == [
        "unconfirmed",
        "confirmed",
        "archived",
    ]


def test_organisation_edit_saves_changes_with_history(administrator_client, administrator):
    organisation = OrganisationFactory(name="Leeds Motors", owner=administrator)
    data = organisation_data(
        administrator, name="Leeds  Motors (Holbeck)", website="https://example.co.uk"
    )

    response = administrator_client.post(edit_url(organisation), data)

    organisation.refresh_from_db()
    assert response["Location"] == detail_url(organisation)
    assert (organisation.name, organisation.website) == (
        "Leeds Motors (Holbeck)",
        "https://example.co.uk",
    )
    assert [record.history_user for record in organisation.history.all()] == [
        administrator,
        None,
    ]


def test_organisation_edit_to_confirmed_records_who_and_when(client, supervisor):
    organisation = OrganisationFactory(owner=supervisor)
    client.force_login(supervisor)
    before = datetime.datetime.now(tz=datetime.UTC)

    client.post(
        edit_url(organisation),
        organisation_data(supervisor, name=organisation.name, status="confirmed"),
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert before <= organisation.confirmed_at <= datetime.datetime.now(tz=datetime.UTC)


def test_organisation_edit_of_a_confirmed_organisation_keeps_the_first_confirmer(
    administrator_client, administrator
):
    first = UserFactory()
    organisation = OrganisationFactory(name="Leeds Motors", owner=administrator)
    organisation.confirm(by=first)
    confirmed_at = organisation.confirmed_at

    administrator_client.post(
        edit_url(organisation),
        organisation_data(
            administrator,
            name="Leeds Motors (Holbeck)",
            status="confirmed",
            loaded_version=str(organisation.version),  # loaded after the confirm
        ),
    )

    organisation.refresh_from_db()
    assert (organisation.name, organisation.status) == ("Leeds Motors (Holbeck)", CONFIRMED)
    assert (organisation.confirmed_by, organisation.confirmed_at) == (first, confirmed_at)


def test_organisation_edit_back_to_unconfirmed_forgets_the_confirmer(
    administrator_client, administrator
):
    organisation = OrganisationFactory(name="Leeds Motors", owner=administrator)
    organisation.confirm(by=administrator)

    administrator_client.post(
        edit_url(organisation),
        organisation_data(
            administrator,
            name="Leeds Motors",
            status="unconfirmed",
            loaded_version=str(organisation.version),  # loaded after the confirm
        ),
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_organisation_edit_can_archive(administrator_client, administrator):
    organisation = OrganisationFactory(owner=administrator)

    administrator_client.post(
        edit_url(organisation),
        organisation_data(administrator, name=organisation.name, status="archived"),
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (
        Organisation.Status.ARCHIVED,
        None,
    )


def test_organisation_edit_invalid_shows_errors_and_saves_nothing(
    administrator_client, administrator
):
    organisation = OrganisationFactory(name="Leeds Motors", owner=administrator)
    data = organisation_data(administrator, name="O'Brien & Sons", ukprn="123")

    response = administrator_client.post(edit_url(organisation), data)

    organisation.refresh_from_db()
    assert (organisation.name, organisation.history.count()) == ("Leeds Motors", 1)
    assert list(response.context["form"].errors) == ["ukprn"]
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="O&#x27;Brien &amp; Sons"' in body


@pytest.mark.parametrize("method", ["get", "post"])
def test_organisation_edit_is_forbidden_to_compliance(compliance_client, compliance, method):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = getattr(compliance_client, method)(
        edit_url(organisation), organisation_data(compliance, name="Changed")
    )

    organisation.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Leeds Motors" not in body
    assert (organisation.name, organisation.history.count()) == ("Leeds Motors", 1)


def test_organisation_edit_rejects_put(administrator_client, administrator):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.put(
        edit_url(organisation),
        organisation_data(administrator, name="Changed"),
        content_type="application/json",
    )

    organisation.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert (organisation.name, organisation.history.count()) == ("Leeds Motors", 1)


def test_organisation_edit_of_a_missing_organisation_is_404(administrator_client, administrator):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(
        reverse("organisations:edit", args=[organisation.pk + 1]),
        organisation_data(administrator, name="Changed"),
    )

    organisation.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body
    assert "Leeds Motors" not in body
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Leeds Motors"]


# organisation_confirm


def test_organisation_confirm_records_who_and_when(client, supervisor):
    organisation = OrganisationFactory()
    client.force_login(supervisor)
    before = datetime.datetime.now(tz=datetime.UTC)

    response = client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert response["Location"] == detail_url(organisation)
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert before <= organisation.confirmed_at <= datetime.datetime.now(tz=datetime.UTC)
    assert [record.history_user for record in organisation.history.all()] == [supervisor, None]


def test_organisation_confirm_says_it_is_confirmed(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(confirm_url(organisation), follow=True)

    assert response.redirect_chain == [(detail_url(organisation), 302)]
    assert (
        '<p class="notice notice--success">Leeds Motors is now Confirmed.</p>'
        in response.content.decode()
    )


def test_organisation_confirm_returns_to_a_next_url_on_the_site(administrator_client):
    on_site = OrganisationFactory()
    off_site = OrganisationFactory()

    to_on_site = administrator_client.post(confirm_url(on_site), {"next": "/participants/"})
    to_off_site = administrator_client.post(
        confirm_url(off_site), {"next": "https://evil.example/"}
    )

    assert to_on_site["Location"] == "/participants/"
    assert to_off_site["Location"] == detail_url(off_site)
    assert set(Organisation.objects.values_list("status", flat=True)) == {CONFIRMED}


def test_organisation_confirm_of_a_confirmed_organisation_keeps_the_first_confirmer(
    administrator_client,
):
    first = UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=first)
    confirmed_at = organisation.confirmed_at

    administrator_client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert (organisation.confirmed_by, organisation.confirmed_at) == (first, confirmed_at)
    assert organisation.history.count() == 2


def test_organisation_confirm_leaves_an_archived_organisation_archived(administrator_client):
    organisation = OrganisationFactory(status=Organisation.Status.ARCHIVED)

    administrator_client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (
        Organisation.Status.ARCHIVED,
        None,
    )


def test_organisation_confirm_rejects_get(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.get(confirm_url(organisation))

    organisation.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert (organisation.status, organisation.confirmed_by) == (UNCONFIRMED, None)


def test_organisation_confirm_is_forbidden_to_compliance(compliance_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = compliance_client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in body
    assert "Leeds Motors" not in body
    assert (organisation.status, organisation.confirmed_by) == (UNCONFIRMED, None)


def test_organisation_confirm_of_a_missing_organisation_is_404(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.post(
        reverse("organisations:confirm", args=[organisation.pk + 1])
    )

    organisation.refresh_from_db()
    assert response.status_code == 404
    assert "Leeds Motors" not in response.content.decode()
    assert (organisation.status, organisation.confirmed_by) == (UNCONFIRMED, None)


def test_organisation_confirm_anonymous_redirects_to_sign_in(client):
    organisation = OrganisationFactory()

    response = client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert response["Location"] == f"/accounts/login/?next={confirm_url(organisation)}"
    assert organisation.status == UNCONFIRMED


def test_organisation_create_as_an_employer_starts_confirmed_for_who_may_confirm(
    administrator_client, administrator
):
    page = administrator_client.get(CREATE_URL, {"employer": "1"}, headers=HTMX)

    created = administrator_client.post(
        CREATE_URL, create_data(administrator, status="confirmed") | {"employer": "1"}
    )

    form = page.context["form"]
    assert form["status"].value() == "confirmed"
    assert form.fields["status"].help_text.startswith("Confirmed, so that it can be the employer")
    assert 'name="employer" value="1"' in page.content.decode()
    assert created.status_code == 302
    assert Organisation.objects.values_list("status", "confirmed_by").get() == (
        "confirmed",
        administrator.pk,
    )


def test_organisation_create_by_who_may_not_confirm_offers_unconfirmed_only(client, north):
    user = UserFactory(role="Compliance officer", teams=[north])  # may not confirm
    user.user_permissions.add(Permission.objects.get(codename="add_organisation"))
    client.force_login(user)

    page = client.get(CREATE_URL, {"employer": "1"})
    crafted = client.post(CREATE_URL, create_data(user, status="confirmed") | {"employer": "1"})

    assert page.context["form"].fields["status"].choices == [("unconfirmed", "Unconfirmed")]
    assert "You may not confirm organisations" in page.content.decode()
    assert list(crafted.context["form"].errors) == ["status"]
    assert Organisation.objects.count() == 0


def test_organisation_create_says_what_an_optional_section_needs_once_begun(administrator_client):
    body = administrator_client.get(CREATE_URL).content.decode()

    assert "If you add one, its first line, town and postcode are needed." in body
    assert "If you add one, their name, email and phone are needed." in body


def test_organisation_edit_refuses_a_form_loaded_before_someone_else_saved(
    administrator_client, administrator
):
    organisation = OrganisationFactory(name="Harbour Bakery", owner=administrator)
    data = organisation_data(administrator)
    administrator_client.post(edit_url(organisation), data | {"name": "First"})

    response = administrator_client.post(edit_url(organisation), data | {"name": "Second"})

    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("First", 2)
    assert (
        "changed this organisation while you were editing it"
        in (response.context["form"].non_field_errors()[0])
    )


def test_organisation_edit_loaded_before_a_confirm_is_refused(client, supervisor):
    organisation = OrganisationFactory(name="Leeds Motors")
    client.force_login(supervisor)
    client.post(confirm_url(organisation))

    response = client.post(
        edit_url(organisation), organisation_data(supervisor, name="Leeds Motors Ltd")
    )

    assert "changed this organisation while you were editing it" in response.content.decode()
    organisation.refresh_from_db()
    assert (organisation.name, organisation.status, organisation.version) == (
        "Leeds Motors",
        CONFIRMED,
        2,
    )

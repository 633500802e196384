import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from organisations.models import Address, Contact, Organisation
from tests.factories import AddressFactory, OrganisationFactory, PostcodeAddressFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("organisations:list")
CREATE_URL = reverse("organisations:create")
FIND_ADDRESS_URL = reverse("organisations:find_address")
HTMX = {"HX-Request": "true"}
MARKUP = "<script>alert('x')</script> & Co"


def detail_url(organisation) -> str:
    return reverse("organisations:detail", args=[organisation.pk])


def edit_url(organisation) -> str:
    return reverse("organisations:edit", args=[organisation.pk])


def confirm_url(organisation) -> str:
    return reverse("organisations:confirm", args=[organisation.pk])


def address_create_url(organisation) -> str:
    return reverse("organisations:address_create", args=[organisation.pk])


def address_edit_url(address) -> str:
    return reverse("organisations:address_edit", args=[address.organisation_id, address.pk])


def make_primary_url(address) -> str:
    return reverse("organisations:address_make_primary", args=[address.organisation_id, address.pk])


def contact_create_url(organisation) -> str:
    return reverse("organisations:contact_create", args=[organisation.pk])


def contact_edit_url(contact) -> str:
    return reverse("organisations:contact_edit", args=[contact.organisation_id, contact.pk])


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


def address_data(**overrides) -> dict:
    return {
        "address-postcode": "ls14ap",
        "address-line_1": "Unit 3",
        "address-line_2": "Tower Works",
        "address-line_3": "",
        "address-town": "Leeds",
        "address-county": "West Yorkshire",
    } | overrides


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


def contact_at(organisation, owner, **fields) -> Contact:
    defaults = {"name": "Sam", "email": "sam@example.org", "phone": "+441134960000"}
    return Contact.objects.create(organisation=organisation, owner=owner, **defaults | fields)


def triggers(response) -> dict:
    return json.loads(response["HX-Trigger"])


@pytest.fixture
def compliance_client(client, compliance):
    client.force_login(compliance)
    return client


# organisation_list


def test_organisation_list_shows_organisations_by_name(client, compliance):
    OrganisationFactory(name="Zephyr Taxis", status=Organisation.Status.CONFIRMED)
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
    client.force_login(django_user_model.objects.create_user("nobody"))

    response = client.get(LIST_URL)

    assert response.status_code == 403


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
    OrganisationFactory(name="A", status=Organisation.Status.CONFIRMED)
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
    assert "<html" not in body
    assert "Leeds Motors" in body


def test_organisation_list_escapes_markup_in_names(administrator_client):
    OrganisationFactory(name=MARKUP)

    response = administrator_client.get(LIST_URL)

    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in body


def test_organisation_list_rejects_post(administrator_client):
    response = administrator_client.post(LIST_URL)

    assert response.status_code == 405


# organisation_detail


def test_organisation_detail_shows_details_addresses_contacts_and_history(
    administrator_client, administrator
):
    organisation = OrganisationFactory(
        name="Caffè Nero O'Brien", category="I", ukprn="10012345", owner=administrator
    )
    address = AddressFactory(organisation=organisation, line_1="1 Park Row", is_primary=True)
    contact_at(
        organisation, administrator, name="Zoë Brontë", email="zoe@example.org", address=address
    )

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


def test_organisation_detail_lists_the_fields_each_change_made(administrator_client, administrator):
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
    organisation = OrganisationFactory()

    response = compliance_client.get(detail_url(organisation))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Confirm organisation" not in body
    assert edit_url(organisation) not in body
    assert address_create_url(organisation) not in body


def test_organisation_detail_of_a_missing_organisation_is_404(administrator_client):
    response = administrator_client.get(reverse("organisations:detail", args=[999]))

    assert response.status_code == 404


def test_organisation_detail_anonymous_redirects_to_sign_in(client):
    organisation = OrganisationFactory()

    response = client.get(detail_url(organisation))

    assert response["Location"] == f"/accounts/login/?next={detail_url(organisation)}"


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_detail_query_count_is_constant(
    administrator_client, administrator, rows, django_assert_num_queries
):
    organisation = OrganisationFactory()
    for _ in range(rows):
        address = AddressFactory(organisation=organisation)
        contact_at(organisation, administrator, address=address)

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
    assert "<html" not in body
    assert "1 Park Row" in body


def test_organisation_detail_escapes_markup(administrator_client, administrator):
    organisation = OrganisationFactory(name=MARKUP)
    AddressFactory(organisation=organisation, line_1=MARKUP)
    contact_at(organisation, administrator, name=MARKUP, email="x@example.org")

    response = administrator_client.get(detail_url(organisation))

    body = response.content.decode()
    assert "<script>alert" not in body
    # title, heading, address, its Edit and Make primary labels, contact and its Edit label
    assert body.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co") == 7


def test_organisation_detail_rejects_post(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.post(detail_url(organisation))

    assert response.status_code == 405


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
        Organisation.Status.UNCONFIRMED,
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

    client.post(CREATE_URL, data)

    organisation = Organisation.objects.get()
    assert (organisation.status, organisation.confirmed_by) == (
        Organisation.Status.CONFIRMED,
        supervisor,
    )
    assert organisation.confirmed_at is not None


def test_organisation_create_refuses_archived(administrator_client, administrator):
    response = administrator_client.post(CREATE_URL, create_data(administrator, status="archived"))

    assert counts() == (0, 0, 0)
    assert list(response.context["form"].errors) == ["status"]


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

    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_organisation_create_anonymous_redirects_to_sign_in(client):
    response = client.get(CREATE_URL)

    assert response["Location"] == f"/accounts/login/?next={CREATE_URL}"


def test_organisation_create_rejects_put(administrator_client):
    response = administrator_client.put(CREATE_URL)

    assert response.status_code == 405


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

    assert response.status_code == 200
    assert counts() == (0, 0, 0)
    assert set(response.context["form"].errors) == {"name", "ukprn", "website"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_organisation-ukprn">UKPRN: A UKPRN is 8 digits starting with 1.</a>' in body
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
    assert (
        'href="#id_address-postcode">Postcode: Enter a real UK postcode, like SW1A 1AA.</a>' in body
    )
    assert 'value="The Harbour Street Bakery"' in body


def test_organisation_create_incomplete_address_shows_the_missing_fields(
    administrator_client, administrator
):
    data = create_data(administrator, **{"address-postcode": "LS1 4AP"})

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert "There is a problem" in response.content.decode()
    assert set(response.context["address_lookup"].form.errors) == {"line_1", "town"}


def test_organisation_create_invalid_contact_phone_saves_nothing(
    administrator_client, administrator
):
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT | {"contact-phone": "12345"})

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert list(response.context["contact_form"].errors) == ["phone"]
    assert 'href="#id_contact-phone">' in response.content.decode()


def test_organisation_create_saves_nothing_when_the_contact_fails_after_the_organisation(
    administrator_client, administrator, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Contact, "full_clean", fail)
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT)

    with pytest.raises(RuntimeError):
        administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_organisation_create_commits_nothing_when_the_address_fails_to_save(
    administrator_client, administrator, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Address, "save", fail)
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT)

    with pytest.raises(RuntimeError):
        administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert Organisation.history.count() == 0


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
    OrganisationFactory(name=f"{MARKUP} Bakery")

    response = administrator_client.post(
        CREATE_URL, create_data(administrator, name=f"{MARKUP} Bakery"), headers=HTMX
    )

    body = response.content.decode()
    assert response.context["duplicates"] != []
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
    assert "<html" not in body
    assert f'hx-post="{CREATE_URL}" hx-target="#dialog-content"' in body


def test_organisation_create_htmx_post_closes_the_dialog_and_selects_the_organisation(
    administrator_client, administrator
):
    data = create_data(administrator, name="Café Ōtautahi", next="/participants/")

    response = administrator_client.post(CREATE_URL, data, headers=HTMX)

    organisation = Organisation.objects.get()
    assert (response.status_code, response.content) == (200, b"")
    assert response["HX-Reswap"] == "none"
    assert triggers(response) == {
        "dialogSaved": {},
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
    assert 'href="#id_organisation-name">Name: This field is required.</a>' in body


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

    assert Organisation.objects.count() == 0
    assert [candidate.line_1 for candidate in response.context["address_lookup"].candidates] == [
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

    form = response.context["address_lookup"].form
    assert Organisation.objects.count() == 0
    assert {name: form[name].value() for name in ["line_1", "town", "county", "postcode"]} == {
        "line_1": "2 Park Row",
        "town": "Leeds",
        "county": "West Yorkshire",
        "postcode": "LS1 4AP",
    }
    body = response.content.decode()
    assert "Address filled in. Check it before you save." in body
    assert '<input type="hidden" name="next" value="/participants/">' in body


# find_address


def test_find_address_htmx_returns_only_the_address_fields_with_candidates(administrator_client):
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.get(
        FIND_ADDRESS_URL, {"prefix": "address", "address-postcode": "ls14ap"}, headers=HTMX
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="address-fields-address">')
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
    response = administrator_client.post(FIND_ADDRESS_URL, {"address-postcode": "LS1 4AP"})

    assert response.status_code == 405


def test_find_address_anonymous_htmx_is_sent_to_sign_in(client):
    response = client.get(FIND_ADDRESS_URL, headers=HTMX)

    assert response["HX-Redirect"].startswith("/accounts/login/")


# organisation_edit


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

    client.post(
        edit_url(organisation),
        organisation_data(supervisor, name=organisation.name, status="confirmed"),
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (
        Organisation.Status.CONFIRMED,
        supervisor,
    )
    assert organisation.confirmed_at is not None


def test_organisation_edit_can_archive(administrator_client, administrator):
    organisation = OrganisationFactory(owner=administrator)

    administrator_client.post(
        edit_url(organisation),
        organisation_data(administrator, name=organisation.name, status="archived"),
    )

    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ARCHIVED


def test_organisation_edit_invalid_shows_errors_and_saves_nothing(
    administrator_client, administrator
):
    organisation = OrganisationFactory(name="Leeds Motors", owner=administrator)
    data = organisation_data(administrator, name="O'Brien & Sons", ukprn="123")

    response = administrator_client.post(edit_url(organisation), data)

    organisation.refresh_from_db()
    assert organisation.name == "Leeds Motors"
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
    assert response.status_code == 403
    assert organisation.name == "Leeds Motors"


def test_organisation_edit_rejects_put(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.put(edit_url(organisation))

    assert response.status_code == 405


def test_organisation_edit_of_a_missing_organisation_is_404(administrator_client):
    response = administrator_client.get(reverse("organisations:edit", args=[999]))

    assert response.status_code == 404


# organisation_confirm


def test_organisation_confirm_records_who_and_when(client, supervisor):
    organisation = OrganisationFactory()
    client.force_login(supervisor)

    response = client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert response["Location"] == detail_url(organisation)
    assert (organisation.status, organisation.confirmed_by) == (
        Organisation.Status.CONFIRMED,
        supervisor,
    )
    assert organisation.confirmed_at is not None
    assert [record.history_user for record in organisation.history.all()] == [supervisor, None]


def test_organisation_confirm_returns_to_a_next_url_on_the_site(administrator_client):
    organisation = OrganisationFactory()

    on_site = administrator_client.post(confirm_url(organisation), {"next": "/participants/"})
    off_site = administrator_client.post(
        confirm_url(OrganisationFactory()), {"next": "https://evil.example/"}
    )

    assert on_site["Location"] == "/participants/"
    assert off_site["Location"].startswith("/organisations/")


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
    assert response.status_code == 405
    assert organisation.status == Organisation.Status.UNCONFIRMED


def test_organisation_confirm_is_forbidden_to_compliance(compliance_client):
    organisation = OrganisationFactory()

    response = compliance_client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert response.status_code == 403
    assert organisation.status == Organisation.Status.UNCONFIRMED


def test_organisation_confirm_anonymous_redirects_to_sign_in(client):
    organisation = OrganisationFactory()

    response = client.post(confirm_url(organisation))

    organisation.refresh_from_db()
    assert response["Location"].startswith("/accounts/login/")
    assert organisation.status == Organisation.Status.UNCONFIRMED


# address_create, address_edit, address_make_primary


def test_address_create_saves_the_first_address_as_primary(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.post(address_create_url(organisation), address_data())

    address = organisation.addresses.get()
    assert response["Location"] == detail_url(organisation)
    assert (address.line_1, address.postcode, address.is_primary) == ("Unit 3", "LS1 4AP", True)
    assert [record.history_user for record in address.history.all()] == [administrator]


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

    assert organisation.addresses.count() == 0
    assert set(response.context["lookup"].form.errors) == {"postcode", "town"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="Unit 3"' in body


def test_address_create_htmx_get_returns_only_the_dialog(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(address_create_url(organisation), headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert "<html" not in body
    assert "Add an address for Leeds Motors" in body


def test_address_create_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client,
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        address_create_url(organisation), address_data(), headers=HTMX
    )

    assert organisation.addresses.count() == 1
    assert (response.content, response["HX-Reswap"]) == (b"", "none")
    assert triggers(response) == {"dialogSaved": {}, "organisationChanged": {}}


def test_address_create_htmx_post_invalid_returns_the_dialog_with_errors(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        address_create_url(organisation),
        address_data(**{"address-line_1": ""}),
        headers=HTMX,
    )

    body = response.content.decode()
    assert organisation.addresses.count() == 0
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert 'href="#id_address-line_1">Address line 1: This field is required.</a>' in body


def test_address_create_find_address_without_javascript_lists_the_candidates(
    administrator_client,
):
    organisation = OrganisationFactory()
    PostcodeAddressFactory(line_1="1 Park Row")

    response = administrator_client.post(
        address_create_url(organisation),
        {"address-postcode": "LS1 4AP", "find_address": "1"},
    )

    assert organisation.addresses.count() == 0
    assert '<label for="address-choice-0">1 Park Row, Leeds, LS1 4AP</label>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_address_create_is_forbidden_to_compliance(compliance_client, method):
    organisation = OrganisationFactory()

    response = getattr(compliance_client, method)(address_create_url(organisation), address_data())

    assert response.status_code == 403
    assert Address.objects.count() == 0


def test_address_edit_saves_changes_with_history(administrator_client, administrator):
    address = AddressFactory(is_primary=True)

    response = administrator_client.post(
        address_edit_url(address), address_data(**{"address-line_1": "Unit 4"})
    )

    address.refresh_from_db()
    assert response["Location"] == detail_url(address.organisation)
    assert (address.line_1, address.line_2, address.is_primary) == ("Unit 4", "Tower Works", True)
    assert [record.history_user for record in address.history.all()] == [administrator, None]


def test_address_edit_of_another_organisations_address_is_404(administrator_client):
    address = AddressFactory()
    other = OrganisationFactory()

    response = administrator_client.post(
        reverse("organisations:address_edit", args=[other.pk, address.pk]), address_data()
    )

    address.refresh_from_db()
    assert response.status_code == 404
    assert address.line_1 != "Unit 3"


def test_address_edit_is_forbidden_to_compliance(compliance_client):
    address = AddressFactory(line_1="1 High Street")

    response = compliance_client.post(address_edit_url(address), address_data())

    address.refresh_from_db()
    assert response.status_code == 403
    assert address.line_1 == "1 High Street"


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


def test_address_make_primary_rejects_get(administrator_client):
    address = AddressFactory()

    response = administrator_client.get(make_primary_url(address))

    address.refresh_from_db()
    assert response.status_code == 405
    assert not address.is_primary


def test_address_make_primary_is_forbidden_to_compliance(compliance_client):
    address = AddressFactory()

    response = compliance_client.post(make_primary_url(address))

    address.refresh_from_db()
    assert response.status_code == 403
    assert not address.is_primary


def test_address_make_primary_of_another_organisations_address_is_404(administrator_client):
    address = AddressFactory()
    other = OrganisationFactory()

    response = administrator_client.post(
        reverse("organisations:address_make_primary", args=[other.pk, address.pk])
    )

    address.refresh_from_db()
    assert response.status_code == 404
    assert not address.is_primary


# contact_create, contact_edit


def test_contact_create_saves_the_phone_normalised(administrator_client, administrator):
    address = AddressFactory()
    organisation = address.organisation
    data = contact_data(administrator, address=address.pk, additional_phone="07912 345678")

    response = administrator_client.post(contact_create_url(organisation), data)

    contact = organisation.contacts.get()
    assert response["Location"] == detail_url(organisation)
    assert (contact.name, contact.address, contact.owner) == (
        "Siân O'Neill",
        address,
        administrator,
    )
    assert (contact.phone.as_e164, contact.additional_phone.as_e164) == (
        "+441134960000",
        "+447912345678",
    )
    assert [record.history_user for record in contact.history.all()] == [administrator]


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
    assert "Enter a valid phone number" in body
    assert 'value="Siân O&#x27;Neill"' in body


def test_contact_create_requires_name_email_and_phone(administrator_client, administrator):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, name="", email="", phone="")
    )

    assert Contact.objects.count() == 0
    assert set(response.context["form"].errors) == {"name", "email", "phone"}


def test_contact_create_refuses_another_organisations_address(administrator_client, administrator):
    organisation = OrganisationFactory()
    AddressFactory(organisation=organisation)
    elsewhere = AddressFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator, address=elsewhere.pk)
    )

    assert Contact.objects.count() == 0
    assert list(response.context["form"].errors) == ["address"]


def test_contact_create_offers_only_this_organisations_addresses(administrator_client):
    address = AddressFactory()
    AddressFactory()

    response = administrator_client.get(contact_create_url(address.organisation))

    assert list(response.context["form"].fields["address"].queryset) == [address]


def test_contact_create_htmx_post_closes_the_dialog_and_refreshes_the_profile(
    administrator_client, administrator
):
    organisation = OrganisationFactory()

    response = administrator_client.post(
        contact_create_url(organisation), contact_data(administrator), headers=HTMX
    )

    assert organisation.contacts.count() == 1
    assert (response.content, response["HX-Reswap"]) == (b"", "none")
    assert triggers(response) == {"dialogSaved": {}, "organisationChanged": {}}


def test_contact_create_htmx_get_returns_only_the_dialog(administrator_client):
    organisation = OrganisationFactory(name="Leeds Motors")

    response = administrator_client.get(contact_create_url(organisation), headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert "<html" not in body
    assert "Add a contact at Leeds Motors" in body


@pytest.mark.parametrize("method", ["get", "post"])
def test_contact_create_is_forbidden_to_compliance(compliance_client, compliance, method):
    organisation = OrganisationFactory()

    response = getattr(compliance_client, method)(
        contact_create_url(organisation), contact_data(compliance)
    )

    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_contact_create_rejects_put(administrator_client):
    organisation = OrganisationFactory()

    response = administrator_client.put(contact_create_url(organisation))

    assert response.status_code == 405


def test_contact_edit_saves_changes_with_history(administrator_client, administrator):
    organisation = OrganisationFactory()
    contact = contact_at(organisation, administrator)

    response = administrator_client.post(
        contact_edit_url(contact), contact_data(administrator, role="Director")
    )

    contact.refresh_from_db()
    assert response["Location"] == detail_url(organisation)
    assert (contact.name, contact.role, contact.organisation) == (
        "Siân O'Neill",
        "Director",
        organisation,
    )
    assert [record.history_user for record in contact.history.all()] == [administrator, None]


def test_contact_edit_of_another_organisations_contact_is_404(administrator_client, administrator):
    contact = contact_at(OrganisationFactory(), administrator)
    other = OrganisationFactory()

    response = administrator_client.post(
        reverse("organisations:contact_edit", args=[other.pk, contact.pk]),
        contact_data(administrator),
    )

    contact.refresh_from_db()
    assert response.status_code == 404
    assert contact.name == "Sam"


def test_contact_edit_is_forbidden_to_compliance(compliance_client, compliance, administrator):
    contact = contact_at(OrganisationFactory(), administrator)

    response = compliance_client.post(contact_edit_url(contact), contact_data(compliance))

    contact.refresh_from_db()
    assert response.status_code == 403
    assert contact.name == "Sam"


CHOICES_URL = reverse("organisations:choices")


def option_values(response) -> list[tuple[str, str]]:
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', response.content.decode())


def test_organisation_choices_lists_confirmed_matches_for_search_as_you_type(
    administrator_client,
):
    bakery = OrganisationFactory(name="Harbour Bakery", status=Organisation.Status.CONFIRMED)
    OrganisationFactory(name="Harbour Motors")
    OrganisationFactory(name="Leeds Bakery", status=Organisation.Status.CONFIRMED)

    response = administrator_client.get(
        CHOICES_URL, {"organisation_search": "harbour"}, headers=HTMX
    )

    assert option_values(response) == [("", "Choose…"), (str(bakery.pk), "Harbour Bakery")]


def test_organisation_choices_keeps_the_selected_organisation(administrator_client):
    chosen = OrganisationFactory(name="Aire Valley Care", status=Organisation.Status.CONFIRMED)
    OrganisationFactory(name="Harbour Bakery", status=Organisation.Status.CONFIRMED)

    response = administrator_client.get(
        CHOICES_URL, {"organisation_search": "harbour", "organisation": chosen.pk}, headers=HTMX
    )

    assert [label for _, label in option_values(response)] == [
        "Choose…",
        "Aire Valley Care",
        "Harbour Bakery",
    ]
    assert f'<option value="{chosen.pk}" selected>' in response.content.decode()


def test_organisation_choices_with_no_match_says_so(administrator_client):
    response = administrator_client.get(CHOICES_URL, {"organisation_search": "zzz"}, headers=HTMX)

    assert "No Confirmed organisation matches" in response.content.decode()

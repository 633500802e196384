"""Add an organisation as one form: the contact's own address, what folds away, and the
finder without JavaScript for either address."""

import pytest

from organisations.models import Address, Contact, Organisation
from tests.factories import PostcodeAddressFactory
from tests.organisations.views.test_organisations import (
    CREATE_URL,
    FIRST_ADDRESS,
    FIRST_CONTACT,
    counts,
    create_data,
)

pytestmark = pytest.mark.django_db

CONTACT_ADDRESS = {
    "contact-address-postcode": "ls14ap",
    "contact-address-line_1": "Unit 4, Park Row",
    "contact-address-town": "Leeds",
}


def test_a_contact_who_works_elsewhere_gets_their_own_address(administrator_client, administrator):
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT, **CONTACT_ADDRESS)

    administrator_client.post(CREATE_URL, data)

    organisation = Organisation.objects.get()
    contact = Contact.objects.get()
    assert [(a.line_1, a.is_primary) for a in organisation.addresses.all()] == [
        ("1 Harbour Street", True),
        ("Unit 4, Park Row", False),
    ]
    assert (contact.address.line_1, contact.address.postcode) == ("Unit 4, Park Row", "LS1 4AP")


def test_without_their_own_address_the_contact_works_at_the_first(
    administrator_client, administrator
):
    administrator_client.post(
        CREATE_URL, create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT)
    )

    assert Contact.objects.get().address == Address.objects.get(is_primary=True)


def test_the_contact_s_address_is_the_primary_one_when_there_is_no_first_address(
    administrator_client, administrator
):
    administrator_client.post(
        CREATE_URL, create_data(administrator, **FIRST_CONTACT, **CONTACT_ADDRESS)
    )

    address = Address.objects.get()
    assert address.is_primary
    assert Contact.objects.get().address == address


def test_a_contact_s_address_without_a_contact_is_refused_and_nothing_is_saved(
    administrator_client, administrator
):
    response = administrator_client.post(CREATE_URL, create_data(administrator, **CONTACT_ADDRESS))

    assert counts() == (0, 0, 0)
    body = response.content.decode()
    assert "There is a problem" in body
    assert (
        body.count(
            "Add the contact who works at this address, or leave the contact&#x27;s address blank."
        )
        == 2
    )  # in the summary and beside the address
    assert (
        '<details class="details" open>\n      <summary class="details__summary">They work at a different address'
        in body
    )


def test_an_incomplete_contact_s_address_says_what_it_needs(administrator_client, administrator):
    data = create_data(administrator, **FIRST_CONTACT, **{"contact-address-postcode": "LS1 4AP"})

    response = administrator_client.post(CREATE_URL, data)

    assert counts() == (0, 0, 0)
    assert response.context["entry"].contact_address.errors == {
        "line_1": ["Enter address line 1, typically the building and street."],
        "town": ["Enter the town or city."],
    }


def test_find_address_without_javascript_works_for_the_contact_s_address(
    administrator_client, administrator
):
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row")
    data = create_data(
        administrator,
        name="Park Row Kitchen",
        find_address="contact-address",
        **FIRST_ADDRESS,
        **FIRST_CONTACT,
        **{"contact-address-postcode": "ls14ap"},
    )

    response = administrator_client.post(CREATE_URL, data)

    entry = response.context["entry"]
    assert counts() == (0, 0, 0)
    assert [c.line_1 for c in entry.contact_address_lookup.candidates] == [
        "1 Park Row",
        "2 Park Row",
    ]
    assert entry.address_lookup.candidates == []
    body = response.content.decode()
    assert '<label for="contact-address-choice-1">2 Park Row, Leeds, LS1 4AP</label>' in body
    assert 'value="1 Harbour Street"' in body  # the first address, as typed
    assert 'value="Park Row Kitchen"' in body
    assert 'value="sian@example.org"' in body
    assert "There is a problem" not in body


def test_use_this_address_without_javascript_fills_the_contact_s_address(
    administrator_client, administrator
):
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row")
    data = create_data(
        administrator,
        use_address="contact-address",
        **FIRST_CONTACT,
        **{"contact-address-postcode": "LS1 4AP", "contact-address-choice": "1"},
    )

    response = administrator_client.post(CREATE_URL, data)

    form = response.context["entry"].contact_address
    assert (form["line_1"].value(), form["town"].value()) == ("2 Park Row", "Leeds")
    assert response.context["entry"].address["line_1"].value() == ""


def test_rarely_needed_fields_are_folded_until_they_hold_something(
    administrator_client, administrator
):
    empty = administrator_client.get(CREATE_URL).content.decode()
    with_ukprn = administrator_client.post(
        CREATE_URL, create_data(administrator, ukprn="12345")
    ).content.decode()

    summary = '<summary class="details__summary">Owner, category, UKPRN and website</summary>'
    assert f'<details class="details">\n  {summary}' in empty
    assert f'<details class="details" open>\n  {summary}' in with_ukprn
    assert "A UKPRN is 8 digits starting with 1." in with_ukprn


def test_the_dialog_starts_with_the_name_typed_into_the_employer_combobox(administrator_client):
    response = administrator_client.get(CREATE_URL, {"employer": "1", "name": "  Zest   Juice "})

    assert response.context["entry"].organisation["name"].value() == "Zest Juice"
    assert 'value="Zest Juice"' in response.content.decode()

"""The organisation, address and contact forms say what to do, in GOV.UK's words."""

import pytest

from organisations.forms import AddressForm, ContactForm, OrganisationForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def organisation_form(**typed) -> OrganisationForm:
    user = UserFactory(role="Administrator")
    data = {"name": "Park Row Kitchen", "owner": user.pk, "type": "employer"}
    data |= {"status": "confirmed"} | typed
    return OrganisationForm(data, user=user)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Enter the organisation's name."),
        ("name", "x" * 201, "Name must be 200 characters or fewer."),
        ("owner", "", "Choose the owner of the organisation."),
        ("owner", "999999", "Choose the owner from the list."),
        ("type", "", "Choose the type of organisation."),
        ("type", "charity shop", "Choose the type of organisation from the list."),
        ("category", "Z", "Choose a category from the list."),
        ("ukprn", "2345678", "A UKPRN is 8 digits starting with 1."),
        (
            "website",
            "parkrow",
            "Enter the website's address in the correct format, like https://www.example.co.uk.",
        ),
        ("status", "", "Choose the status."),
        ("status", "archived", "Choose a status from the list."),
    ],
)
def test_organisation_form_messages(field, typed, message):
    assert organisation_form(**{field: typed}).errors[field] == [message]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("postcode", "", "Enter the postcode."),
        ("postcode", "LS99", "Enter a real UK postcode, like SW1A 1AA."),
        ("line_1", "", "Enter address line 1, typically the building and street."),
        ("line_1", "x" * 201, "Address line 1 must be 200 characters or fewer."),
        ("town", "", "Enter the town or city."),
        ("county", "x" * 101, "County must be 100 characters or fewer."),
    ],
)
def test_address_form_messages(field, typed, message):
    data = {"postcode": "LS1 4AP", "line_1": "1 Park Row", "town": "Leeds"} | {field: typed}

    assert AddressForm(data).errors[field] == [message]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Enter the contact's name."),
        ("email", "", "Enter the contact's email address."),
        (
            "email",
            "sam at example",
            "Enter an email address in the correct format, like name@example.com.",
        ),
        ("phone", "", "Enter the contact's phone number."),
        ("phone", "12", "Enter a UK phone number, like 0113 496 0000 or 07912 345678."),
        ("additional_phone", "abc", "Enter a UK phone number, like 0113 496 0000 or 07912 345678."),
        (
            "url",
            "sam",
            "Enter the web address in the correct format, like https://www.example.co.uk/people/sam.",
        ),
        ("owner", "", "Choose the owner of the contact."),
    ],
)
def test_contact_form_messages(field, typed, message):
    user = UserFactory(role="Administrator")
    data = {"name": "Sam", "email": "sam@example.org", "phone": "0113 496 0000", "owner": user.pk}

    form = ContactForm(data | {field: typed}, user=user, organisation=None)

    assert form.errors[field] == [message]

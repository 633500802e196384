import pytest
from django.core.exceptions import ValidationError

from organisations.models import Address, Contact, Organisation
from organisations.services import (
    add_address,
    create_organisation,
    make_primary_address,
    update_organisation,
)
from tests.factories import AddressFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = Organisation.Status.CONFIRMED
UNCONFIRMED = Organisation.Status.UNCONFIRMED


def new_organisation(owner, **fields) -> Organisation:
    return Organisation(name="The Harbour Street Bakery", owner=owner, **fields)


def new_address(**fields) -> Address:
    return Address(
        **{"line_1": "1 Harbour Street", "town": "Whitby", "postcode": "yo21 3pu"} | fields
    )


def new_contact(owner, **fields) -> Contact:
    defaults = {"name": "Siân O'Neill", "email": "sian@example.org", "phone": "01947 600000"}
    return Contact(owner=owner, **defaults | fields)


# create_organisation


def test_create_organisation_saves_the_first_address_as_primary_and_the_contacts_address():
    user = UserFactory()

    organisation = create_organisation(
        organisation=new_organisation(user),
        address=new_address(),
        contact=new_contact(user),
        created_by=user,
    )

    address = Address.objects.get()
    contact = Contact.objects.get()
    assert Organisation.objects.get() == organisation
    assert (address.organisation, address.is_primary, address.postcode) == (
        organisation,
        True,
        "YO21 3PU",
    )
    assert (contact.organisation, contact.address) == (organisation, address)
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_create_organisation_without_address_or_contact_saves_only_the_organisation():
    user = UserFactory()

    organisation = create_organisation(organisation=new_organisation(user), created_by=user)

    assert list(Organisation.objects.all()) == [organisation]
    assert (Address.objects.count(), Contact.objects.count()) == (0, 0)


def test_create_organisation_with_a_contact_but_no_address_leaves_the_contact_address_empty():
    user = UserFactory()

    organisation = create_organisation(
        organisation=new_organisation(user), contact=new_contact(user), created_by=user
    )

    assert list(organisation.contacts.values_list("name", "address")) == [("Siân O'Neill", None)]


def test_create_organisation_as_confirmed_records_the_creator_as_confirmer():
    user = UserFactory()

    organisation = create_organisation(
        organisation=new_organisation(user, status=CONFIRMED), created_by=user
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, user)
    assert organisation.confirmed_at is not None


def test_create_organisation_with_an_invalid_contact_saves_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError) as raised:
        create_organisation(
            organisation=new_organisation(user),
            address=new_address(),
            contact=new_contact(user, email="not an email"),
            created_by=user,
        )

    assert list(raised.value.message_dict) == ["email"]
    assert (Organisation.objects.count(), Address.objects.count(), Contact.objects.count()) == (
        0,
        0,
        0,
    )


def test_create_organisation_with_an_invalid_address_saves_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError):
        create_organisation(
            organisation=new_organisation(user),
            address=new_address(postcode="ZZ99 9ZZ"),
            created_by=user,
        )

    assert (Organisation.objects.count(), Address.objects.count()) == (0, 0)


# update_organisation


def test_update_organisation_to_confirmed_records_who_and_when():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    organisation.status = CONFIRMED

    update_organisation(organisation=organisation, changed_by=supervisor)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert organisation.confirmed_at is not None


def test_update_organisation_keeps_the_first_confirmer_on_later_edits():
    first, second = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=first)
    confirmed_at = organisation.confirmed_at
    organisation.name = "Harbour Street Bakery (Whitby)"

    update_organisation(organisation=organisation, changed_by=second)

    organisation.refresh_from_db()
    assert (organisation.name, organisation.confirmed_by, organisation.confirmed_at) == (
        "Harbour Street Bakery (Whitby)",
        first,
        confirmed_at,
    )


def test_update_organisation_confirmed_again_records_the_new_confirmer():
    first, second = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=first)
    organisation.status = UNCONFIRMED
    update_organisation(organisation=organisation, changed_by=first)
    organisation.status = CONFIRMED

    update_organisation(organisation=organisation, changed_by=second)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, second)


def test_update_organisation_to_unconfirmed_clears_the_confirmation():
    user = UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=user)
    organisation.status = UNCONFIRMED

    update_organisation(organisation=organisation, changed_by=user)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_update_organisation_with_an_invalid_ukprn_saves_nothing():
    organisation = OrganisationFactory(ukprn="")
    organisation.ukprn = "2001"

    with pytest.raises(ValidationError):
        update_organisation(organisation=organisation, changed_by=organisation.owner)

    assert Organisation.objects.values_list("ukprn", flat=True).get() == ""


# add_address


def test_add_address_makes_only_the_first_address_primary():
    organisation = OrganisationFactory()

    first = add_address(organisation=organisation, address=new_address())
    second = add_address(organisation=organisation, address=new_address(line_1="2 Pier Road"))

    assert list(organisation.addresses.values_list("pk", "is_primary")) == [
        (first.pk, True),
        (second.pk, False),
    ]


def test_add_address_with_an_impossible_postcode_saves_nothing():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError):
        add_address(organisation=organisation, address=new_address(postcode="ZZ99 9ZZZ"))

    assert organisation.addresses.count() == 0


# make_primary_address


def test_make_primary_address_moves_the_primary_flag_with_history():
    first = AddressFactory(line_1="1 High Street", is_primary=True)
    second = AddressFactory(line_1="2 High Street", organisation=first.organisation)

    make_primary_address(address=second)

    assert list(first.organisation.addresses.values_list("line_1", "is_primary")) == [
        ("2 High Street", True),
        ("1 High Street", False),
    ]
    assert [record.is_primary for record in first.history.all()] == [False, True]
    assert [record.is_primary for record in second.history.all()] == [True, False]


def test_make_primary_address_leaves_other_organisations_alone():
    other = AddressFactory(is_primary=True)
    address = AddressFactory()

    make_primary_address(address=address)

    assert set(Address.objects.filter(is_primary=True)) == {other, address}


def test_make_primary_address_of_the_primary_address_changes_nothing():
    address = AddressFactory(is_primary=True)

    make_primary_address(address=address)

    address.refresh_from_db()
    assert address.is_primary
    assert address.history.count() == 1

import datetime

import pytest
from django.core.exceptions import ValidationError

from organisations.models import Address, Contact, Organisation
from organisations.services import (
    create_organisation,
    make_primary_address,
    save_address,
    save_contact,
    update_organisation,
)
from tests.factories import AddressFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = Organisation.Status.CONFIRMED
UNCONFIRMED = Organisation.Status.UNCONFIRMED
ARCHIVED = Organisation.Status.ARCHIVED
ADDRESS = {"line_1": "1 Harbour Street", "town": "Whitby", "postcode": "yo21 3pu"}


def organisation_fields(owner, **fields) -> dict:
    """What the organisation form's cleaned_data holds."""
    return {"name": "The Harbour Street Bakery", "owner": owner} | fields


def contact_fields(owner, **fields) -> dict:
    defaults = {"name": "Siân O'Neill", "email": "sian@example.org", "phone": "01947 600000"}
    return {"owner": owner} | defaults | fields


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Address.objects.count(), Contact.objects.count()


def now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


# create_organisation


def test_create_organisation_saves_the_first_address_as_primary_and_the_contacts_address():
    user = UserFactory()

    organisation = create_organisation(
        organisation=organisation_fields(user),
        address=ADDRESS,
        contact=contact_fields(user),
        created_by=user,
    )

    address = Address.objects.get()
    contact = Contact.objects.get()
    assert Organisation.objects.get() == organisation
    assert (organisation.name, organisation.owner) == ("The Harbour Street Bakery", user)
    assert (address.organisation, address.is_primary, address.line_1, address.postcode) == (
        organisation,
        True,
        "1 Harbour Street",
        "YO21 3PU",
    )
    assert (contact.organisation, contact.address, contact.name, contact.phone.as_e164) == (
        organisation,
        address,
        "Siân O'Neill",
        "+441947600000",
    )
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_create_organisation_without_address_or_contact_saves_only_the_organisation():
    user = UserFactory()

    organisation = create_organisation(organisation=organisation_fields(user), created_by=user)

    assert list(Organisation.objects.all()) == [organisation]
    assert counts() == (1, 0, 0)


def test_create_organisation_with_a_contact_but_no_address_leaves_the_contact_address_empty():
    user = UserFactory()

    organisation = create_organisation(
        organisation=organisation_fields(user), contact=contact_fields(user), created_by=user
    )

    assert list(organisation.contacts.values_list("name", "address")) == [("Siân O'Neill", None)]


def test_create_organisation_as_confirmed_records_the_creator_as_confirmer():
    owner, creator = UserFactory(), UserFactory()
    before = now()

    organisation = create_organisation(
        organisation=organisation_fields(owner, status=CONFIRMED), created_by=creator
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.owner, organisation.confirmed_by) == (
        CONFIRMED,
        owner,
        creator,
    )
    assert before <= organisation.confirmed_at <= now()


def test_create_organisation_as_unconfirmed_records_no_confirmer():
    user = UserFactory()

    organisation = create_organisation(
        organisation=organisation_fields(user, status=UNCONFIRMED), created_by=user
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_create_organisation_leaves_the_data_it_was_given_as_it_was():
    user = UserFactory()
    fields = organisation_fields(user, status=CONFIRMED)

    create_organisation(organisation=fields, created_by=user)

    assert fields == {"name": "The Harbour Street Bakery", "owner": user, "status": CONFIRMED}


def test_create_organisation_with_an_invalid_organisation_saves_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError) as raised:
        create_organisation(
            organisation=organisation_fields(user, ukprn="2001"),
            address=ADDRESS,
            contact=contact_fields(user),
            created_by=user,
        )

    assert raised.value.message_dict == {"ukprn": ["A UKPRN is 8 digits starting with 1."]}
    assert counts() == (0, 0, 0)


def test_create_organisation_with_an_invalid_contact_saves_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError) as raised:
        create_organisation(
            organisation=organisation_fields(user),
            address=ADDRESS,
            contact=contact_fields(user, email="not an email"),
            created_by=user,
        )

    assert raised.value.message_dict == {"email": ["Enter a valid email address."]}
    assert counts() == (0, 0, 0)


def test_create_organisation_with_an_invalid_address_saves_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError) as raised:
        create_organisation(
            organisation=organisation_fields(user),
            address=ADDRESS | {"postcode": "ZZ99 9ZZ"},
            created_by=user,
        )

    assert raised.value.message_dict == {"postcode": ["Enter a real UK postcode, like SW1A 1AA."]}
    assert counts() == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_create_organisation_commits_nothing_when_a_later_write_fails():
    user = UserFactory()

    with pytest.raises(ValidationError):
        create_organisation(
            organisation=organisation_fields(user, status=CONFIRMED),
            address=ADDRESS,
            contact=contact_fields(user, phone="12345"),
            created_by=user,
        )

    assert counts() == (0, 0, 0)
    assert (Organisation.history.count(), Address.history.count()) == (0, 0)


# update_organisation


def test_update_organisation_saves_the_fields_it_is_given():
    organisation = OrganisationFactory(name="Leeds Motors", website="")

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=organisation.owner,
        name="Leeds Motors (Holbeck)",
        website="https://example.co.uk",
    )

    assert Organisation.objects.values_list("name", "website", "status").get() == (
        "Leeds Motors (Holbeck)",
        "https://example.co.uk",
        UNCONFIRMED,
    )


def test_update_organisation_to_confirmed_records_who_and_when():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    before = now()

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=supervisor,
        status=CONFIRMED,
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert before <= organisation.confirmed_at <= now()


def test_update_organisation_keeps_the_first_confirmer_on_later_edits():
    first, second = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=first)
    confirmed_at = organisation.confirmed_at

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=second,
        name="Harbour Street Bakery (Whitby)",
        status=CONFIRMED,
    )

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
    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=first,
        status=UNCONFIRMED,
    )

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=second,
        status=CONFIRMED,
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, second)


def test_update_organisation_to_unconfirmed_clears_the_confirmation():
    user = UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=user)

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=user,
        status=UNCONFIRMED,
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


def test_update_organisation_to_archived_keeps_who_confirmed_it():
    user = UserFactory()
    organisation = OrganisationFactory()
    organisation.confirm(by=user)
    confirmed_at = organisation.confirmed_at

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=UserFactory(),
        status=ARCHIVED,
    )

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        ARCHIVED,
        user,
        confirmed_at,
    )


def test_update_organisation_changes_the_status_only_when_given_one():
    organisation = OrganisationFactory(name="Leeds Motors")
    organisation.status = CONFIRMED

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=UserFactory(),
        name="Leeds Cars",
    )

    assert Organisation.objects.values_list("name", "status", "confirmed_by").get() == (
        "Leeds Cars",
        UNCONFIRMED,
        None,
    )


def test_update_organisation_with_an_invalid_ukprn_saves_nothing():
    organisation = OrganisationFactory(name="Leeds Motors", ukprn="")

    with pytest.raises(ValidationError) as raised:
        update_organisation(
            organisation=organisation,
            loaded_version=organisation.version,
            changed_by=organisation.owner,
            name="Leeds Cars",
            ukprn="2001",
            status=CONFIRMED,
        )

    assert list(raised.value.message_dict) == ["ukprn"]
    assert Organisation.objects.values_list("name", "ukprn", "status").get() == (
        "Leeds Motors",
        "",
        UNCONFIRMED,
    )


# save_address


def test_save_address_makes_only_the_first_address_primary():
    organisation = OrganisationFactory()

    first = save_address(organisation=organisation, **ADDRESS)
    second = save_address(organisation=organisation, **ADDRESS | {"line_1": "2 Pier Road"})

    assert list(organisation.addresses.values_list("pk", "line_1", "is_primary")) == [
        (first.pk, "1 Harbour Street", True),
        (second.pk, "2 Pier Road", False),
    ]


def test_save_address_adds_the_address_to_the_organisation_normalised():
    organisation = OrganisationFactory()

    address = save_address(organisation=organisation, county="North Yorkshire", **ADDRESS)

    assert Address.objects.values_list(
        "organisation", "line_1", "town", "county", "postcode"
    ).get() == (organisation.pk, "1 Harbour Street", "Whitby", "North Yorkshire", "YO21 3PU")
    assert address.pk == Address.objects.get().pk


def test_save_address_with_an_impossible_postcode_saves_nothing():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as raised:
        save_address(organisation=organisation, **ADDRESS | {"postcode": "ZZ99 9ZZZ"})

    assert list(raised.value.message_dict) == ["postcode"]
    assert organisation.addresses.count() == 0


def test_save_address_edits_an_address_and_keeps_it_primary():
    address = AddressFactory(line_1="1 Park Row", is_primary=True)

    saved = save_address(
        organisation=address.organisation, address=address, line_1="Unit 3", postcode="ls11 5qn"
    )

    assert saved == address
    assert list(
        Address.objects.values_list("organisation", "line_1", "town", "postcode", "is_primary")
    ) == [(address.organisation_id, "Unit 3", "Leeds", "LS11 5QN", True)]
    assert [record.line_1 for record in address.history.all()] == ["Unit 3", "1 Park Row"]


def test_save_address_edit_of_a_second_address_leaves_it_not_primary():
    first = AddressFactory(line_1="1 Park Row", is_primary=True)
    second = AddressFactory(line_1="2 Park Row", organisation=first.organisation)

    save_address(organisation=first.organisation, address=second, line_1="3 Park Row")

    assert list(first.organisation.addresses.values_list("line_1", "is_primary")) == [
        ("1 Park Row", True),
        ("3 Park Row", False),
    ]


def test_save_address_edit_with_an_impossible_postcode_saves_nothing():
    address = AddressFactory(line_1="1 Park Row", postcode="LS1 4AP")

    with pytest.raises(ValidationError):
        save_address(
            organisation=address.organisation, address=address, line_1="Unit 3", postcode="LS1"
        )

    assert Address.objects.values_list("line_1", "postcode").get() == ("1 Park Row", "LS1 4AP")
    assert address.history.count() == 1


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
    assert (address.is_primary, address.history.count()) == (True, 1)


# save_contact


def test_save_contact_adds_a_contact_with_the_phone_normalised():
    organisation = OrganisationFactory()
    owner = UserFactory()

    contact = save_contact(
        organisation=organisation,
        **contact_fields(owner, role="Owner", additional_phone="07912 345678"),
    )

    assert contact == Contact.objects.get()
    assert (contact.organisation, contact.owner, contact.name, contact.role) == (
        organisation,
        owner,
        "Siân O'Neill",
        "Owner",
    )
    assert (contact.phone.as_e164, contact.additional_phone.as_e164, contact.address) == (
        "+441947600000",
        "+447912345678",
        None,
    )


def test_save_contact_adds_a_contact_at_one_of_the_organisations_addresses():
    address = AddressFactory()

    contact = save_contact(
        organisation=address.organisation, address=address, **contact_fields(UserFactory())
    )

    assert contact.address == address
    assert list(Contact.objects.values_list("organisation", "name", "address")) == [
        (address.organisation_id, "Siân O'Neill", address.pk)
    ]


def test_save_contact_edits_a_contact():
    organisation = OrganisationFactory()
    contact = save_contact(organisation=organisation, **contact_fields(UserFactory()))

    saved = save_contact(organisation=organisation, contact=contact, role="Director")

    assert saved == contact
    assert list(Contact.objects.values_list("organisation", "name", "role", "email")) == [
        (organisation.pk, "Siân O'Neill", "Director", "sian@example.org")
    ]
    assert [record.role for record in contact.history.all()] == ["Director", ""]


def test_save_contact_with_an_invalid_email_saves_nothing():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as raised:
        save_contact(organisation=organisation, **contact_fields(UserFactory(), email="sian"))

    assert raised.value.message_dict == {"email": ["Enter a valid email address."]}
    assert Contact.objects.count() == 0


def test_save_contact_edit_with_an_invalid_phone_saves_nothing():
    organisation = OrganisationFactory()
    contact = save_contact(organisation=organisation, **contact_fields(UserFactory()))

    with pytest.raises(ValidationError) as raised:
        save_contact(organisation=organisation, contact=contact, name="Sam", phone="12345")

    assert list(raised.value.message_dict) == ["phone"]
    assert Contact.objects.values_list("name", flat=True).get() == "Siân O'Neill"
    assert contact.history.count() == 1


def test_create_organisation_as_confirmed_makes_one_history_record():
    creator = UserFactory()

    organisation = create_organisation(
        organisation={"name": "Leeds Motors", "owner": creator, "status": CONFIRMED},
        created_by=creator,
    )

    assert [(h.history_type, h.status, h.confirmed_by_id) for h in organisation.history.all()] == [
        ("+", CONFIRMED, creator.pk)
    ]


def test_update_organisation_fields_and_status_together_make_one_history_record():
    organisation = OrganisationFactory(name="Leeds Motors")
    editor = UserFactory()

    update_organisation(
        organisation=organisation,
        loaded_version=organisation.version,
        changed_by=editor,
        name="Leeds Cars",
        status=CONFIRMED,
    )

    assert [(h.history_type, h.name, h.status) for h in organisation.history.all()] == [
        ("~", "Leeds Cars", CONFIRMED),
        ("+", "Leeds Motors", UNCONFIRMED),
    ]


def test_save_contact_refuses_an_address_of_another_organisation(make_contact):
    organisation = OrganisationFactory()
    elsewhere = AddressFactory()

    with pytest.raises(ValidationError) as raised:
        save_contact(
            organisation=organisation,
            name="Sam",
            owner=UserFactory(),
            email="sam@example.org",
            phone="+441134960000",
            address=elsewhere,
        )

    assert raised.value.message_dict == {
        "address": ["Choose one of the organisation's own addresses."]
    }
    assert Contact.objects.count() == 0


def test_save_contact_and_save_address_refuse_another_organisations_row(make_contact):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    contact = make_contact(other)
    address = AddressFactory(organisation=other, line_1="1 Other Street")

    with pytest.raises(ValueError, match="is not one of"):
        save_contact(organisation=organisation, contact=contact, name="Moved")
    with pytest.raises(ValueError, match="is not one of"):
        save_address(organisation=organisation, address=address, line_1="Moved")

    assert (Contact.objects.get().name, Address.objects.get().line_1) == ("Sam", "1 Other Street")

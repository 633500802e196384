import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from organisations.models import Address, Organisation, name_key
from tests.factories import AddressFactory, OrganisationFactory, UserFactory

CONFIRMED = Organisation.Status.CONFIRMED
UNCONFIRMED = Organisation.Status.UNCONFIRMED
ARCHIVED = Organisation.Status.ARCHIVED


def now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The Harbour Bakery Ltd.", "harbour bakery"),
        ("Harbour Bakery LIMITED", "harbour bakery"),
        ("Smith & Sons plc", "smith sons"),
        ("Smith and Sons", "smith sons"),
        ("O'Brien's Café (Leeds) LLP", "o brien s café leeds"),
        ("  Harbour   Bakery  ", "harbour bakery"),
        ("The Company Ltd", ""),
        ("", ""),
    ],
)
def test_name_key_ignores_case_punctuation_and_legal_suffixes(name, key):
    assert name_key(name) == key


# OrganisationQuerySet.confirmed


@pytest.mark.django_db
def test_confirmed_returns_only_confirmed_organisations():
    OrganisationFactory(name="New")
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)
    OrganisationFactory(name="Gone", status=Organisation.Status.ARCHIVED)

    organisations = Organisation.objects.confirmed()

    assert list(organisations) == [confirmed]


# OrganisationQuerySet.eligible_employers


@pytest.mark.django_db
@pytest.mark.parametrize("selected", [None, "", "abc", "-1"])
def test_eligible_employers_without_a_chosen_one_are_the_confirmed(selected):
    OrganisationFactory(name="New")
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)
    OrganisationFactory(name="Gone", status=ARCHIVED)

    organisations = Organisation.objects.eligible_employers(selected)

    assert list(organisations) == [confirmed]


@pytest.mark.django_db
@pytest.mark.parametrize("as_text", [False, True])
def test_eligible_employers_include_the_chosen_unconfirmed_one(as_text):
    chosen = OrganisationFactory(name="New")
    OrganisationFactory(name="Also new")
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)

    organisations = Organisation.objects.eligible_employers(
        str(chosen.pk) if as_text else chosen.pk
    )

    assert list(organisations) == [confirmed, chosen]


@pytest.mark.django_db
def test_eligible_employers_leave_out_a_chosen_archived_one():
    gone = OrganisationFactory(name="Gone", status=ARCHIVED)
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)

    organisations = Organisation.objects.eligible_employers(gone.pk)

    assert list(organisations) == [confirmed]


@pytest.mark.django_db
def test_eligible_employers_list_a_chosen_confirmed_one_once():
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)

    organisations = Organisation.objects.eligible_employers(confirmed.pk)

    assert list(organisations) == [confirmed]


@pytest.mark.django_db
def test_eligible_employers_with_a_missing_chosen_one_are_the_confirmed():
    confirmed = OrganisationFactory(name="Checked", status=CONFIRMED)

    organisations = Organisation.objects.eligible_employers(confirmed.pk + 1)

    assert list(organisations) == [confirmed]


# OrganisationQuerySet.by_name


@pytest.mark.django_db
def test_by_name_orders_by_name_then_by_when_added():
    first_harbour = OrganisationFactory(name="Harbour Bakery")
    aire = OrganisationFactory(name="Aire Valley Care")
    second_harbour = OrganisationFactory(name="Harbour Bakery")

    organisations = Organisation.objects.order_by("-pk").by_name()

    assert list(organisations) == [aire, first_harbour, second_harbour]


@pytest.mark.django_db
def test_by_name_keeps_the_filter_it_follows():
    OrganisationFactory(name="Aire Valley Care")
    zephyr = OrganisationFactory(name="Zephyr Taxis", status=CONFIRMED)
    harbour = OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)

    organisations = Organisation.objects.confirmed().by_name()

    assert list(organisations) == [harbour, zephyr]


# OrganisationQuerySet.search


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["bakery", "HARBOUR", "  harbour   street ", "Street Bak"])
def test_search_finds_a_name_containing_the_text(text):
    bakery = OrganisationFactory(name="The Harbour Street Bakery")
    OrganisationFactory(name="Leeds Motors")

    organisations = Organisation.objects.search(text)

    assert list(organisations) == [bakery]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["LS1 4AP", "ls14ap", " ls1 4ap ", "LS1", "ls1 4a", "LS1 4"])
def test_search_finds_an_address_postcode_starting_with_the_text(text):
    at_postcode = AddressFactory(postcode="LS1 4AP").organisation
    AddressFactory(postcode="M1 1AE")

    organisations = Organisation.objects.search(text)

    assert list(organisations) == [at_postcode]


@pytest.mark.django_db
def test_search_lists_an_organisation_once_whatever_its_addresses():
    organisation = OrganisationFactory()
    AddressFactory.create_batch(2, organisation=organisation, postcode="LS1 4AP")

    organisations = Organisation.objects.search("LS1 4AP")

    assert list(organisations) == [organisation]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", None])
def test_search_with_no_text_returns_everything(text):
    organisations = OrganisationFactory.create_batch(2)

    found = Organisation.objects.search(text)

    assert list(found) == organisations


@pytest.mark.django_db
def test_search_treats_sql_wildcards_as_text():
    OrganisationFactory(name="Harbour Bakery")
    percent = OrganisationFactory(name="100% Cotton")

    organisations = Organisation.objects.search("%")

    assert list(organisations) == [percent]


# OrganisationQuerySet.similar_to


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "Harbour Street Bakery Ltd",
        "the harbour street bakery",
        "Harbour Street Bakery, Limited.",
        "Harbour Street Bakey",
    ],
)
def test_similar_to_finds_the_same_or_a_very_similar_name(name):
    existing = OrganisationFactory(name="The Harbour Street Bakery")
    OrganisationFactory(name="Harbour Street Motors")
    OrganisationFactory(name="Leeds Bakery")

    similar = Organisation.objects.similar_to(name)

    assert similar == [existing]


@pytest.mark.django_db
def test_similar_to_treats_ampersand_as_and():
    existing = OrganisationFactory(name="Smith and Sons Ltd")

    similar = Organisation.objects.similar_to("Smith & Sons")

    assert similar == [existing]


@pytest.mark.django_db
def test_similar_to_finds_an_organisation_at_the_same_postcode_once():
    existing = OrganisationFactory(name="Leeds Motors")
    AddressFactory.create_batch(2, organisation=existing, postcode="LS1 4AP")
    AddressFactory(postcode="M1 1AE")

    similar = Organisation.objects.similar_to("Harbour Street Bakery", "ls14ap")

    assert similar == [existing]


@pytest.mark.django_db
def test_similar_to_lists_a_match_by_name_and_postcode_once():
    existing = AddressFactory(
        organisation__name="The Harbour Street Bakery", postcode="LS1 4AP"
    ).organisation

    similar = Organisation.objects.similar_to("Harbour Street Bakery Ltd", "LS1 4AP")

    assert similar == [existing]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["The Company Ltd", "", "Harbour Street Motors"])
def test_similar_to_finds_nothing_for_a_different_or_empty_name(name):
    OrganisationFactory(name="The Harbour Street Bakery")

    similar = Organisation.objects.similar_to(name)

    assert similar == []


# Organisation


@pytest.mark.django_db
def test_organisation_confirm_records_who_and_when():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    before = datetime.datetime.now(tz=datetime.UTC)

    organisation.confirm(by=supervisor)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert organisation.is_confirmed
    assert before <= organisation.confirmed_at <= datetime.datetime.now(tz=datetime.UTC)
    assert [record.status for record in organisation.history.all()] == [
        CONFIRMED,
        Organisation.Status.UNCONFIRMED,
    ]


@pytest.mark.django_db
def test_organisation_move_to_unconfirmed_forgets_who_confirmed_it_but_the_history_keeps_it():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    organisation.confirm(by=supervisor)

    organisation.move_to(UNCONFIRMED, by=supervisor)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )
    assert organisation.is_confirmed is False
    assert [(record.status, record.confirmed_by) for record in organisation.history.all()] == [
        (UNCONFIRMED, None),
        (CONFIRMED, supervisor),
        (UNCONFIRMED, None),
    ]


@pytest.mark.django_db
def test_organisation_move_to_confirmed_records_who_and_when():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    before = now()

    organisation.move_to(CONFIRMED, by=supervisor)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)
    assert before <= organisation.confirmed_at <= now()


@pytest.mark.django_db
def test_organisation_move_to_unconfirmed_forgets_the_confirmation():
    organisation = OrganisationFactory()
    organisation.confirm(by=UserFactory())

    organisation.move_to(UNCONFIRMED, by=UserFactory())

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        UNCONFIRMED,
        None,
        None,
    )


@pytest.mark.django_db
def test_organisation_move_to_archived_keeps_who_confirmed_it():
    organisation = OrganisationFactory()
    supervisor = UserFactory()
    organisation.confirm(by=supervisor)
    confirmed_at = organisation.confirmed_at

    organisation.move_to(ARCHIVED, by=UserFactory())

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by, organisation.confirmed_at) == (
        ARCHIVED,
        supervisor,
        confirmed_at,
    )


@pytest.mark.django_db
def test_organisation_move_to_confirmed_from_archived_records_the_new_confirmer():
    organisation = OrganisationFactory()
    organisation.confirm(by=UserFactory())
    organisation.move_to(ARCHIVED, by=UserFactory())
    supervisor = UserFactory()

    organisation.move_to(CONFIRMED, by=supervisor)

    organisation.refresh_from_db()
    assert (organisation.status, organisation.confirmed_by) == (CONFIRMED, supervisor)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [UNCONFIRMED, CONFIRMED, ARCHIVED])
def test_organisation_move_to_the_same_status_changes_nothing(status):
    organisation = OrganisationFactory(status=status)

    organisation.move_to(status, by=UserFactory())

    assert Organisation.objects.values_list("status", "confirmed_by", "confirmed_at").get() == (
        status,
        None,
        None,
    )
    assert organisation.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("ukprn", ["10012345", "19999999", ""])
def test_organisation_accepts_a_ukprn_of_8_digits_starting_with_1(ukprn):
    organisation = OrganisationFactory.build(owner=UserFactory(), ukprn=ukprn)

    organisation.full_clean()

    assert organisation.ukprn == ukprn


@pytest.mark.django_db
@pytest.mark.parametrize("ukprn", ["20012345", "1001234", "1001234X", "100123456"])
def test_organisation_refuses_any_other_ukprn(ukprn):
    organisation = OrganisationFactory.build(owner=UserFactory(), ukprn=ukprn)

    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()

    assert list(raised.value.message_dict) == ["ukprn"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("website", "valid"),
    [
        ("https://www.example.co.uk", True),
        ("http://example.org/about", True),
        ("ftp://example.org", False),
        ("javascript:alert(1)", False),
        ("not a url", False),
    ],
)
def test_organisation_website_must_be_an_http_or_https_url(website, valid):
    organisation = OrganisationFactory.build(owner=UserFactory(), website=website)

    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as raised:
            organisation.full_clean()
        assert list(raised.value.message_dict) == ["website"]


# Address


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ls14ap", "LS1 4AP"), (" sw1a1aa ", "SW1A 1AA"), ("gir0aa", "GIR 0AA"), ("M1 1AE", "M1 1AE")],
)
def test_address_postcode_is_normalised(typed, stored):
    address = AddressFactory.build(organisation=OrganisationFactory(), postcode=typed)

    address.full_clean()

    assert address.postcode == stored


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["ZZ99 9ZZZ", "LS1", "QW1 1AA", "12345"])
def test_address_refuses_an_impossible_postcode(postcode):
    address = AddressFactory.build(organisation=OrganisationFactory(), postcode=postcode)

    with pytest.raises(ValidationError) as raised:
        address.full_clean()

    assert list(raised.value.message_dict) == ["postcode"]
    assert raised.value.message_dict["postcode"][0] == "Enter a real UK postcode, like SW1A 1AA."


def test_address_str_joins_the_lines_that_are_filled_in():
    address = Address(line_1="Unit 3", line_3="Holbeck", town="Leeds", postcode="LS11 5QN")

    assert str(address) == "Unit 3, Holbeck, Leeds, LS11 5QN"


@pytest.mark.django_db
def test_address_full_clean_refuses_a_second_primary_address():
    first = AddressFactory(is_primary=True)
    second = AddressFactory.build(organisation=first.organisation, is_primary=True)

    with pytest.raises(ValidationError) as raised:
        second.full_clean()

    assert raised.value.messages == ["The organisation already has a primary address."]


@pytest.mark.django_db
def test_address_database_refuses_a_second_primary_address():
    first = AddressFactory(is_primary=True)

    with pytest.raises(IntegrityError):
        AddressFactory(organisation=first.organisation, is_primary=True)


@pytest.mark.django_db
def test_address_allows_one_primary_address_per_organisation():
    AddressFactory(is_primary=True)
    AddressFactory(is_primary=True)
    other = AddressFactory(is_primary=False)

    AddressFactory(organisation=other.organisation, is_primary=False)

    assert Address.objects.filter(is_primary=True).count() == 2

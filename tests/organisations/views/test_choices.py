"""organisation_choices: the employer combobox's suggestions, as JSON."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import AddressFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CHOICES_URL = reverse("organisations:choices")
CONFIRMED = Organisation.Status.CONFIRMED


def results(response) -> list[dict]:
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_it_suggests_confirmed_organisations_matching_the_name_in_name_order(administrator_client):
    motors = OrganisationFactory(name="Harbour Motors", status=CONFIRMED)
    bakery = OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)
    OrganisationFactory(name="Harbour Taxis")  # Unconfirmed
    OrganisationFactory(name="Harbour Foundry", status=Organisation.Status.ARCHIVED)
    OrganisationFactory(name="Leeds Bakery", status=CONFIRMED)

    response = administrator_client.get(CHOICES_URL, {"q": "harbour"})

    assert [(r["value"], r["label"]) for r in results(response)] == [
        (bakery.pk, "Harbour Bakery"),
        (motors.pk, "Harbour Motors"),
    ]


def test_each_suggestion_says_where_the_organisation_is(administrator_client):
    bakery = OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)
    AddressFactory(organisation=bakery, is_primary=True, town="Whitby", postcode="YO21 3PU")
    AddressFactory(organisation=bakery, is_primary=False, town="Leeds", postcode="LS1 4AP")
    OrganisationFactory(name="Harbour Cafe", status=CONFIRMED)

    found = results(administrator_client.get(CHOICES_URL, {"q": "harbour"}))

    assert [r["detail"] for r in found] == ["Whitby, YO21 3PU", ""]


def test_a_postcode_finds_organisations_with_an_address_there(administrator_client):
    bakery = OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)
    AddressFactory(organisation=bakery, is_primary=True, postcode="YO21 3PU")

    found = results(administrator_client.get(CHOICES_URL, {"q": "yo21"}))

    assert [r["label"] for r in found] == ["Harbour Bakery"]


def test_with_nothing_typed_it_suggests_the_first_fifty(administrator_client):
    OrganisationFactory.create_batch(55, status=CONFIRMED)

    assert len(results(administrator_client.get(CHOICES_URL))) == 50


@pytest.mark.parametrize("typed", ["zzz", "%", "_", "'; DROP TABLE", "x" * 5000])
def test_what_matches_nothing_gives_no_suggestions(administrator_client, typed):
    OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)

    assert results(administrator_client.get(CHOICES_URL, {"q": typed})) == []


def test_control_characters_are_ignored(administrator_client):
    """PostgreSQL refuses a NUL in a query: it must never reach the database."""
    OrganisationFactory(name="Harbour Bakery", status=CONFIRMED)

    found = results(administrator_client.get(CHOICES_URL, {"q": "harbour\x00\x07"}))

    assert [r["label"] for r in found] == ["Harbour Bakery"]


def test_a_name_with_markup_comes_back_as_text(administrator_client):
    OrganisationFactory(name="<b>Bold</b> & Co", status=CONFIRMED)

    assert results(administrator_client.get(CHOICES_URL, {"q": "bold"}))[0]["label"] == (
        "<b>Bold</b> & Co"
    )


def test_the_queries_do_not_grow_with_the_suggestions(
    administrator_client, django_assert_max_num_queries
):
    for number in range(3):
        organisation = OrganisationFactory(name=f"Harbour {number}", status=CONFIRMED)
        AddressFactory(organisation=organisation, is_primary=True)
    with django_assert_max_num_queries(6):
        found = results(administrator_client.get(CHOICES_URL, {"q": "harbour"}))

    assert len(found) == 3


def test_it_is_for_staff_who_may_see_organisations(client):
    response = client.get(CHOICES_URL, {"q": "harbour"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_post(administrator_client):
    response = administrator_client.post(CHOICES_URL, {"q": "harbour"})

    assert (response.status_code, response["Allow"]) == (405, "GET")

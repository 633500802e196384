import pytest
from django.test import RequestFactory

from common.pagination import page_of
from participants.models import Team


@pytest.mark.django_db
def test_page_of_gives_the_asked_page_and_the_other_parameters(settings):
    settings.PAGE_SIZE = 2
    Team.objects.bulk_create(Team(name=f"Team {n}") for n in range(5))
    request = RequestFactory().get("/", {"q": "team", "page": "2", "status": "x"})

    page, query = page_of(request, Team.objects.order_by("name"))

    assert [team.name for team in page.rows] == ["Team 2", "Team 3"]
    assert (page.number, page.has_previous, page.has_next) == (2, True, True)
    assert query == "q=team&status=x"


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["", "0", "-3", "two", "99999999999"])
def test_page_of_a_nonsense_page_number_is_page_one_or_the_last_allowed(asked):
    request = RequestFactory().get("/", {"page": asked})

    page, query = page_of(request, Team.objects.all())

    assert page.rows == []
    assert page.number in {1, 10_000}
    assert query == ""

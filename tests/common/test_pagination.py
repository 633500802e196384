import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from common.pagination import Page, page_of
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


@pytest.mark.django_db
def test_a_page_knows_how_many_the_list_found(settings, django_assert_num_queries):
    settings.PAGE_SIZE = 2
    Team.objects.bulk_create(Team(name=f"Team {n}") for n in range(5))

    with django_assert_num_queries(2):  # the page, and the count
        page, _ = page_of(RequestFactory().get("/"), Team.objects.order_by("name"))

    assert (page.found, page.found_more_than_limit) == (5, False)


@pytest.mark.django_db
def test_a_list_on_one_page_is_counted_without_asking_again(settings, django_assert_num_queries):
    settings.PAGE_SIZE = 10
    Team.objects.bulk_create(Team(name=f"Team {n}") for n in range(3))

    with django_assert_num_queries(1):
        page, _ = page_of(RequestFactory().get("/"), Team.objects.order_by("name"))

    assert page.found == 3


@pytest.mark.django_db
def test_the_count_stops_at_its_limit(settings, monkeypatch):
    """A quarter of a million rows are never counted: past the limit it says "more than"."""
    monkeypatch.setattr("common.pagination.COUNT_LIMIT", 3)
    settings.PAGE_SIZE = 2
    Team.objects.bulk_create(Team(name=f"Team {n}") for n in range(6))

    page, _ = page_of(RequestFactory().get("/"), Team.objects.order_by("name"))
    html = render_to_string("includes/results_count.html", {"page": page, "noun": "team"})

    assert (page.found, page.found_more_than_limit, page.count_limit) == (4, True, 3)
    assert "More than 3 teams found" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("teams", "said"), [(0, "0 teams found"), (1, "1 team found"), (1234, "1,234 teams found")]
)
def test_the_count_is_said_in_words(teams, said, monkeypatch):
    monkeypatch.setattr("common.pagination.COUNT_LIMIT", 5000)
    page = Page(rows=[], number=1, has_next=False, found=teams)

    assert said in render_to_string("includes/results_count.html", {"page": page, "noun": "team"})

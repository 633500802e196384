"""Object level: staff of another team never reach the North participant, nor anything
hanging off them, by any URL, and never see them in a list, count or export.

The outsider holds every permission of every front-end role except seeing every team,
so only the team stands between them and the North participant; the insider is the same
member of staff in the North team, to show each page would have shown what it hides.
"""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import resolve, reverse

from participants.access import VIEW_ALL_TEAMS
from participants.roles import ROLES
from tests.factories import MINIMAL_PDF, UserFactory
from tests.tracker_site.permission_matrix import MATRIX, METHODS
from tests.tracker_site.world import LAST_NAME, MARKS, NINO, REFERENCE, row_counts

FRONT_END_ROLES = ("Administrator", "Compliance officer", "Supervisor")
# The world's objects of the North team, and those another member of staff made (an
# upload, an export, a sample), which only they and those who see every team may open.
TEAM_OBJECTS = {"participant", "tracker", "document", "milestone", "sample_item"}
OTHER_STAFFS_OBJECTS = {"participant_import", "claim_export", "sample", "job"}
# Answers by which a URL serves a method at all.
SERVED = {"200", "302", "400"}


def served_methods(row) -> set[str]:
    return {method for (_, method), answer in row.answers.items() if answer in SERVED}


OBJECT_ROWS = [
    row
    for row in MATRIX.values()
    if (TEAM_OBJECTS | OTHER_STAFFS_OBJECTS) & set(row.arguments.values())
]
OBJECT_CASES = [(row.url_name, method) for row in OBJECT_ROWS for method in METHODS]
TEAM_ROWS_SHOWN = [
    row.url_name
    for row in OBJECT_ROWS
    if "GET" in served_methods(row) and not OTHER_STAFFS_OBJECTS & set(row.arguments.values())
]

# Lists, searches, counts and exports: the insider's shows the North participant.
LISTS = [
    ("participants:list", {}),
    ("participants:list", {"q": LAST_NAME}),
    ("participants:list", {"q": NINO}),
    ("participants:list", {"q": REFERENCE}),
    ("milestones:list", {"when": "any"}),
    ("reviews:queue", {"tab": "unassigned"}),
    ("reviews:ready_to_claim", {}),
]
# Pages with participants' numbers or choices but no names, even for the insider.
SUMMARIES = [
    ("milestones:forecast", {}),
    ("reviews:caseload", {}),
    ("reviews:samples", {}),
    ("participants:create", {}),
    ("organisations:choices", {"q": ""}),
    *[("reviews:queue", {"tab": tab}) for tab in ("mine", "info", "overdue", "decided")],
]


def with_every_permission_but_every_team(team):
    """A member of the team with every front-end role's permissions but seeing every team."""
    codes = {code for role in FRONT_END_ROLES for code in ROLES[role]} - {VIEW_ALL_TEAMS}
    user = UserFactory(teams=[team])
    user.user_permissions.add(
        *[
            permission
            for permission in Permission.objects.select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in codes
        ]
    )
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsider(world):
    return signed_in(with_every_permission_but_every_team(world["south"]))


@pytest.fixture
def insider(world):
    return signed_in(with_every_permission_but_every_team(world["north"]))


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def marks_in(response, typed: dict | None = None) -> list[str]:
    """The North participant's details in the response, but those typed in the query
    (which a search box shows again)."""
    text = text_of(response)
    return [mark for mark in MARKS if mark in text and mark not in (typed or {}).values()]


@pytest.mark.parametrize(("url_name", "method"), OBJECT_CASES)
def test_object_of_another_team_is_404_and_left_unchanged(outsider, world, url_name, method):
    row = MATRIX[url_name]
    before = row_counts()

    response = outsider.generic(method, row.url(world))

    expected = 404 if method in served_methods(row) else 405
    assert (response.status_code, marks_in(response)) == (expected, [])
    assert row_counts() == before


@pytest.mark.parametrize("url_name", TEAM_ROWS_SHOWN)
def test_object_of_the_users_own_team_is_shown(insider, world, url_name):
    response = insider.get(MATRIX[url_name].url(world))

    assert response.status_code == 200
    if url_name == "trackers:document_download":
        assert text_of(response) == MINIMAL_PDF.decode()
    elif url_name == "subject_access_export":
        content = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            record = archive.read("record.json").decode()
        assert [mark for mark in MARKS if mark in record] != []
    else:
        assert marks_in(response) != []


@pytest.mark.parametrize(("url_name", "query"), LISTS)
def test_list_of_another_team_never_shows_the_participant(
    outsider, insider, world, url_name, query
):
    url = MATRIX[url_name].url(world)

    # A search for a NI number (or a reference) is answered by a redirect to its results.
    inside, outside = insider.get(url, query, follow=True), outsider.get(url, query, follow=True)

    assert (inside.status_code, outside.status_code) == (200, 200)
    assert marks_in(inside, query) != [] or set(query.values()) & set(MARKS)
    assert marks_in(outside, query) == []


def exported(client: Client, filters: dict) -> HttpResponse:
    """The Milestones export's file, its job run as the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(reverse("milestones:export"), filters)
    return client.get(reverse("jobs:download", args=[resolve(started.url).kwargs["pk"]]))


def test_claims_export_of_another_team_never_holds_the_participant(outsider, insider):
    url = reverse("reviews:claim_export")

    inside, outside = insider.post(url, follow=True), outsider.post(url, follow=True)

    assert (inside.status_code, outside.status_code) == (200, 200)
    assert marks_in(inside) != []
    assert marks_in(outside) == []


def test_milestones_export_of_another_team_never_holds_the_participant(outsider, insider):
    inside = exported(insider, {"when": "any"})
    outside = exported(outsider, {"when": "any"})

    assert (inside.status_code, outside.status_code) == (200, 200)
    assert marks_in(inside) != []
    assert marks_in(outside) == []


@pytest.mark.parametrize(("url_name", "query"), SUMMARIES)
def test_summary_of_another_team_never_shows_the_participant(outsider, world, url_name, query):
    response = outsider.get(MATRIX[url_name].url(world), query)

    assert (response.status_code, marks_in(response)) == (200, [])


def test_participant_list_of_another_team_counts_only_its_own(outsider, insider, world):
    url = MATRIX["participants:list"].url(world)

    inside, outside = insider.get(url), outsider.get(url)

    assert [p.last_name for p in inside.context["page"].rows] == [LAST_NAME]
    assert [p.last_name for p in outside.context["page"].rows] == ["Southerner"]
    assert outside.context["page"].found == 1


def test_review_queue_of_another_team_counts_nothing(outsider, insider, world):
    url = MATRIX["reviews:queue"].url(world)

    inside, outside = insider.get(url), outsider.get(url)

    assert {tab.key: count for tab, count in inside.context["tabs"]}["unassigned"] == 1
    assert {tab.key: count for tab, count in outside.context["tabs"]} == {
        "mine": 0, "unassigned": 0, "info": 0, "overdue": 0, "decided": 0,
    }  # fmt: skip

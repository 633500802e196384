import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("reviews:queue")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def compliance_client(client, compliance):
    client.force_login(compliance)
    return client


def listed(response) -> list[str]:
    return [tracker.description for tracker in response.context["page"].rows]


def test_review_queue_shows_my_trackers_with_the_tab_counts(compliance_client, compliance, north):
    participant = ParticipantFactory(team=north)
    TrackerFactory(
        participant=participant, description="Mine", status="in_review", assignee=compliance
    )
    TrackerFactory(participant=participant, description="Nobody's", status="in_review")
    TrackerFactory(participant=participant, description="Waiting", status="info_requested")

    response = compliance_client.get(QUEUE_URL)

    assert listed(response) == ["Mine"]
    assert [(tab.key, count) for tab, count in response.context["tabs"]] == [
        ("mine", 1), ("unassigned", 1), ("info", 1), ("overdue", 0), ("decided", 0),
    ]  # fmt: skip
    assert (
        'aria-current="page">Assigned to me <span class="tabs__count">1</span>'
        in response.content.decode()
    )


def test_a_tab_past_the_count_limit_says_so_without_counting_them_all(
    compliance_client, north, monkeypatch
):
    monkeypatch.setattr("common.pagination.COUNT_LIMIT", 2)
    monkeypatch.setattr("reviews.views.queue.COUNT_LIMIT", 2)
    participant = ParticipantFactory(team=north)
    TrackerFactory.create_batch(4, participant=participant, status="in_review")
    TrackerFactory(participant=participant, status="info_requested")

    response = compliance_client.get(QUEUE_URL)

    assert dict((tab.key, count) for tab, count in response.context["tabs"]) == {
        "mine": 0, "unassigned": 3, "info": 1, "overdue": 0, "decided": 0,
    }  # fmt: skip
    page = response.content.decode()
    assert 'Unassigned <span class="tabs__count">2+</span>' in page
    assert 'Info requested <span class="tabs__count">1</span>' in page


@pytest.mark.parametrize(
    ("tab", "expected"), [("unassigned", ["Nobody's"]), ("info", ["Waiting"]), ("nonsense", [])]
)
def test_review_queue_tabs(compliance_client, north, tab, expected):
    participant = ParticipantFactory(team=north)
    TrackerFactory(participant=participant, description="Nobody's", status="in_review")
    TrackerFactory(participant=participant, description="Waiting", status="info_requested")

    response = compliance_client.get(QUEUE_URL, {"tab": tab})

    assert listed(response) == expected


def test_review_queue_filters_and_sorts(compliance_client, north):
    participant = ParticipantFactory(team=north)
    TrackerFactory(
        participant=participant,
        description="Bakery job",
        status="new",
        organisation__name="Harbour Bakery",
    )
    TrackerFactory(
        participant=participant,
        description="Care job",
        status="new",
        organisation__name="Pennine Care",
    )
    TrackerFactory(
        participant=participant,
        description="Self",
        status="new",
        type="self_employment",
        organisation=None,
    )

    by_employer = compliance_client.get(QUEUE_URL, {"tab": "unassigned", "employer": "bakery"})
    by_type = compliance_client.get(QUEUE_URL, {"tab": "unassigned", "type": "self_employment"})
    by_milestone = compliance_client.get(QUEUE_URL, {"tab": "unassigned", "sort": "milestone"})

    assert listed(by_employer) == ["Bakery job"]
    assert listed(by_type) == ["Self"]
    assert sorted(listed(by_milestone)) == ["Bakery job", "Care job", "Self"]


def test_review_queue_shows_only_the_users_teams(compliance_client, south):
    TrackerFactory(
        participant=ParticipantFactory(team=south, last_name="Southwell"), status="in_review"
    )

    response = compliance_client.get(QUEUE_URL, {"tab": "unassigned"})

    assert listed(response) == []
    assert "Southwell" not in response.content.decode()
    assert response.context["tabs"][1][1] == 0


def test_review_queue_htmx_returns_only_the_results(compliance_client, north):
    TrackerFactory(
        participant=ParticipantFactory(team=north), status="in_review", description="Porter"
    )

    response = compliance_client.get(QUEUE_URL, {"tab": "unassigned"}, headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert "Porter" in body and "<html" not in body


@pytest.mark.parametrize("rows", [1, 3])
def test_review_queue_query_count_is_constant(
    compliance_client, compliance, north, rows, django_assert_num_queries
):
    participant = ParticipantFactory(team=north)
    TrackerFactory.create_batch(
        rows, participant=participant, status="in_review", assignee=compliance
    )

    # (the tab counts are a query a tab)
    with django_assert_num_queries(14):
        response = compliance_client.get(QUEUE_URL)

    assert len(response.context["page"].rows) == rows


@pytest.mark.parametrize("role", ["Administrator", "Supervisor"])
def test_review_queue_is_forbidden_without_the_review_permission(client, north, role):
    client.force_login(UserFactory(role=role, teams=[north]))
    TrackerFactory(participant=ParticipantFactory(team=north), description="Hidden job")

    response = client.get(QUEUE_URL)

    assert response.status_code == 403
    assert "Hidden job" not in response.content.decode()


def test_review_take_and_release(compliance_client, compliance, north):
    tracker = TrackerFactory(participant=ParticipantFactory(team=north), status="in_review")

    taken = compliance_client.post(
        reverse("reviews:take", args=[tracker.pk]), {"next": "/reviews/?tab=unassigned"}
    )
    tracker.refresh_from_db()
    assignee = tracker.assignee
    compliance_client.post(reverse("reviews:release", args=[tracker.pk]))

    tracker.refresh_from_db()
    assert (assignee, tracker.assignee) == (compliance, None)
    assert taken["Location"] == "/reviews/?tab=unassigned"


def test_review_take_of_another_teams_tracker_is_404(compliance_client, south):
    tracker = TrackerFactory(participant=ParticipantFactory(team=south), status="in_review")

    response = compliance_client.post(reverse("reviews:take", args=[tracker.pk]))

    assert response.status_code == 404
    tracker.refresh_from_db()
    assert tracker.assignee is None


def test_review_take_rejects_get(compliance_client, north):
    tracker = TrackerFactory(participant=ParticipantFactory(team=north), status="in_review")

    response = compliance_client.get(reverse("reviews:take", args=[tracker.pk]))

    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert Tracker.objects.get().assignee is None

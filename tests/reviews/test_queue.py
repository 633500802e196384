import datetime

import pytest

from milestones.models import ParticipantMilestone
from reviews.queue import (
    TABS,
    caseloads,
    overdue,
    reviewable,
    tab_counts,
    tab_filter,
    with_waiting_since,
)
from tests.factories import (
    ParticipantFactory,
    ParticipantMilestoneFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

Status = Tracker.Status
# A fixed clock: noon on 1 December 2026.
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def in_tab(key: str, user) -> list[str]:
    trackers = with_waiting_since(reviewable(user)).filter(tab_filter(key, user=user, now=NOW))
    return sorted(trackers.values_list("description", flat=True))


@pytest.fixture
def queue(north, compliance):
    """One tracker in each place, all in the North team."""
    participant = ParticipantFactory(team=north)
    for description, status, assignee in [
        ("mine new", Status.NEW, compliance),
        ("mine in review", Status.IN_REVIEW, compliance),
        ("unassigned", Status.IN_REVIEW, None),
        ("info", Status.INFO_REQUESTED, compliance),
        ("approved", Status.APPROVED, compliance),
        ("rejected", Status.REJECTED, None),
    ]:
        TrackerFactory(
            participant=participant, description=description, status=status,
            assignee=assignee, submitted_at=days_ago(1),
        )  # fmt: skip
    Tracker.objects.update(created_at=days_ago(1))


def test_tabs_hold_their_trackers(queue, compliance):
    assert {key: in_tab(key, compliance) for key in ("mine", "unassigned", "info", "decided")} == {
        "mine": ["mine in review", "mine new"],
        "unassigned": ["unassigned"],
        "info": ["info"],
        "decided": ["approved", "rejected"],
    }


def test_tab_counts_are_a_query_a_tab_and_match_the_tabs(
    queue, compliance, django_assert_num_queries
):
    trackers = reviewable(compliance)  # (looks up the user's teams)

    with django_assert_num_queries(len(TABS)):
        counts = tab_counts(trackers, user=compliance, now=NOW)

    assert counts == {"mine": 2, "unassigned": 1, "info": 1, "overdue": 0, "decided": 2}


def test_tabs_never_hold_another_teams_trackers(queue, compliance, south):
    TrackerFactory(
        participant=ParticipantFactory(team=south), description="south", assignee=compliance
    )

    assert "south" not in in_tab("mine", compliance)
    assert tab_counts(reviewable(compliance), user=compliance, now=NOW)["mine"] == 2


@pytest.mark.parametrize(
    ("waited", "status", "overdue_"),
    [
        (10, Status.IN_REVIEW, False),
        (11, Status.IN_REVIEW, True),
        (11, Status.NEW, True),
        (30, Status.APPROVED, False),
        (30, Status.INFO_REQUESTED, False),
    ],
)
def test_overdue_after_the_configured_days_waiting(settings, north, waited, status, overdue_):
    settings.REVIEW_OVERDUE_DAYS = 10
    TrackerFactory(
        participant=ParticipantFactory(team=north), status=status, submitted_at=days_ago(waited)
    )

    found = with_waiting_since(Tracker.objects.all()).filter(overdue(NOW)).exists()

    assert found is overdue_


def test_overdue_counts_from_creation_when_never_submitted(settings, north):
    settings.REVIEW_OVERDUE_DAYS = 10
    tracker = TrackerFactory(participant=ParticipantFactory(team=north), status=Status.NEW)
    Tracker.objects.filter(pk=tracker.pk).update(created_at=days_ago(11))

    assert list(with_waiting_since(Tracker.objects.all()).filter(overdue(NOW))) == [tracker]


@pytest.mark.parametrize(
    ("status", "overdue_"),
    [(Status.INFO_REQUESTED, True), (Status.IN_REVIEW, True), (Status.APPROVED, False)],
)
def test_overdue_when_an_achieved_milestone_has_no_verified_evidence(north, status, overdue_):
    participant = ParticipantFactory(team=north)
    TrackerFactory(participant=participant, status=status, submitted_at=NOW)
    ParticipantMilestoneFactory(
        participant=participant, status=ParticipantMilestone.Status.ACHIEVED
    )

    found = with_waiting_since(Tracker.objects.all()).filter(overdue(NOW)).exists()

    assert found is overdue_


def test_caseloads_count_each_reviewers_open_and_overdue_trackers(settings, queue, compliance):
    settings.REVIEW_OVERDUE_DAYS = 10
    other = UserFactory(username="second", role="Compliance officer")
    Tracker.objects.filter(description="mine new").update(submitted_at=days_ago(20))

    rows = caseloads(Tracker.objects.all(), now=NOW)

    assert {(row["reviewer"].username, row["open"], row["overdue"]) for row in rows} == {
        ("compliance", 3, 1),
        (other.username, 0, 0),
    }

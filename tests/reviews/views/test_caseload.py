import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

CASELOAD_URL = reverse("reviews:caseload")


@pytest.fixture
def reviewers(north):
    return (
        UserFactory(username="leaving", role="Compliance officer", teams=[north]),
        UserFactory(
            username="staying", role="Compliance officer", teams=[north], email="s@example.org"
        ),
    )


def test_caseload_shows_each_reviewers_open_trackers(supervisor_client, reviewers, north):
    leaving, _ = reviewers
    participant = ParticipantFactory(team=north)
    TrackerFactory.create_batch(2, participant=participant, status="in_review", assignee=leaving)
    TrackerFactory(participant=participant, status="approved", assignee=leaving)

    response = supervisor_client.get(CASELOAD_URL)

    assert {(row["reviewer"].username, row["open"]) for row in response.context["caseloads"]} == {
        ("leaving", 2),
        ("staying", 0),
    }


def test_caseload_reassigns_every_open_tracker_in_bulk(
    supervisor_client, reviewers, north, django_capture_on_commit_callbacks
):
    leaving, staying = reviewers
    participant = ParticipantFactory(team=north)
    open_ = TrackerFactory.create_batch(
        2, participant=participant, status="in_review", assignee=leaving
    )
    decided = TrackerFactory(participant=participant, status="approved", assignee=leaving)

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            CASELOAD_URL, {"from_reviewer": leaving.pk, "to_reviewer": staying.pk}, follow=True
        )

    assert set(Tracker.objects.filter(assignee=staying).values_list("pk", flat=True)) == {
        t.pk for t in open_
    }
    assert Tracker.objects.get(pk=decided.pk).assignee == leaving
    name = staying.get_full_name() or staying.username
    assert f"2 trackers moved to {name}." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["s@example.org"], ["s@example.org"]]


def test_caseload_reassign_to_the_same_reviewer_is_refused(supervisor_client, reviewers, north):
    leaving, _ = reviewers
    TrackerFactory(participant=ParticipantFactory(team=north), status="in_review", assignee=leaving)

    response = supervisor_client.post(
        CASELOAD_URL, {"from_reviewer": leaving.pk, "to_reviewer": leaving.pk}
    )

    assert response.context["form"].errors["to_reviewer"] == [
        "Choose someone else to give the trackers to."
    ]
    assert Tracker.objects.get().assignee == leaving


def test_caseload_is_forbidden_to_compliance(client, compliance, reviewers, north):
    leaving, staying = reviewers
    tracker = TrackerFactory(
        participant=ParticipantFactory(team=north), status="in_review", assignee=leaving
    )
    client.force_login(compliance)

    response = client.post(CASELOAD_URL, {"from_reviewer": leaving.pk, "to_reviewer": staying.pk})

    assert response.status_code == 403
    tracker.refresh_from_db()
    assert tracker.assignee == leaving

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, TrackerFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(north):
    return ParticipantFactory(team=north, date_of_birth=datetime.date(1990, 5, 17))


def test_tracker_list_shows_trackers_with_weekly_pay(administrator_client, participant):
    TrackerFactory(participant=participant, description="Barista", weekly_hours=Decimal("16"))

    response = administrator_client.get(reverse("trackers:list", args=[participant.pk]))

    body = response.content.decode()
    assert "Barista" in body
    assert "£195.36" in body
    assert "Create Tracker" in body


@pytest.mark.parametrize("rows", [1, 3])
def test_tracker_list_query_count_is_constant(
    administrator_client, participant, rows, django_assert_num_queries
):
    TrackerFactory.create_batch(rows, participant=participant)

    # session, user, permissions (2), team ids, participant, the access log (logged
    # already? log it), trackers, documents, header teams
    with django_assert_num_queries(11):
        administrator_client.get(reverse("trackers:list", args=[participant.pk]))


def test_tracker_detail_outside_users_teams_is_404(administrator_client, south):
    tracker = TrackerFactory(
        participant=ParticipantFactory(team=south, last_name="Southwell"),
        description="Secret porter",
    )

    response = administrator_client.get(
        reverse("trackers:detail", args=[tracker.participant.pk, tracker.pk])
    )

    assert response.status_code == 404
    body = response.content.decode()
    assert "Southwell" not in body
    assert "Secret porter" not in body


def test_tracker_detail_htmx_returns_only_the_documents_fragment(administrator_client, participant):
    tracker = TrackerFactory(participant=participant)

    response = administrator_client.get(
        reverse("trackers:detail", args=[participant.pk, tracker.pk]),
        headers={"HX-Request": "true"},
    )

    assert (
        response.content.decode()
        .lstrip()
        .startswith('<section class="panel" id="tracker-documents"')
    )


def test_tracker_views_reject_wrong_methods(administrator_client, participant):
    tracker = TrackerFactory(participant=participant)

    list_post = administrator_client.post(reverse("trackers:list", args=[participant.pk]))
    detail_post = administrator_client.post(
        reverse("trackers:detail", args=[participant.pk, tracker.pk])
    )

    assert (list_post.status_code, detail_post.status_code) == (405, 405)
    assert (list_post["Allow"], detail_post["Allow"]) == ("GET", "GET")
    assert list(Tracker.objects.values_list("pk", "version")) == [(tracker.pk, 1)]


def test_participant_menu_leads_to_trackers(administrator_client, participant):
    response = administrator_client.get(reverse("participants:list"))

    assert (
        f'href="/participants/{participant.pk}/trackers/">Trackers</a>' in response.content.decode()
    )


def submit_url(tracker) -> str:
    return reverse("trackers:submit", args=[tracker.participant_id, tracker.pk])


@pytest.mark.parametrize("status", ["new", "rejected", "info_requested"])
def test_tracker_submit_sends_it_to_review(administrator_client, participant, status):
    tracker = TrackerFactory(participant=participant, status=status)

    response = administrator_client.post(submit_url(tracker), {"loaded_version": 1}, follow=True)

    tracker.refresh_from_db()
    assert (tracker.status, tracker.version) == (Tracker.Status.IN_REVIEW, 2)
    assert "Submitted for review." in response.content.decode()


def test_tracker_submit_of_an_approved_tracker_is_refused(administrator_client, participant):
    tracker = TrackerFactory(participant=participant, status="approved")

    response = administrator_client.post(submit_url(tracker), {"loaded_version": 1}, follow=True)

    tracker.refresh_from_db()
    assert (tracker.status, tracker.version) == (Tracker.Status.APPROVED, 1)
    assert "This tracker is Approved: it cannot be submitted." in response.content.decode()


def test_tracker_submit_of_a_changed_tracker_is_refused(administrator_client, participant):
    tracker = TrackerFactory(participant=participant, status="new", version=2)

    response = administrator_client.post(
        submit_url(tracker), {"loaded_version": "abc"}, follow=True
    )

    tracker.refresh_from_db()
    assert (tracker.status, tracker.version) == (Tracker.Status.NEW, 2)
    assert "Someone changed this tracker since you opened it" in response.content.decode()


def test_tracker_submit_outside_the_users_teams_is_404(administrator_client, south):
    tracker = TrackerFactory(participant=ParticipantFactory(team=south), status="new")

    response = administrator_client.post(submit_url(tracker), {"loaded_version": 1})

    assert response.status_code == 404
    tracker.refresh_from_db()
    assert tracker.status == Tracker.Status.NEW


def test_tracker_detail_offers_submit_only_while_it_may_be_submitted(
    administrator_client, participant
):
    new = TrackerFactory(participant=participant, status="new")
    approved = TrackerFactory(participant=participant, status="approved")

    pages = [
        administrator_client.get(
            reverse("trackers:detail", args=[participant.pk, t.pk])
        ).content.decode()
        for t in (new, approved)
    ]

    assert ["Submit for review" in page for page in pages] == [True, False]

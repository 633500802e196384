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

    # session, user, permissions (2), team ids, participant, trackers, documents, header teams
    with django_assert_num_queries(9):
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

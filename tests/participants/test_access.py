import pytest
from django.http import Http404

from participants.access import get_participant_for, participants_for, teams_for
from tests.factories import ParticipantFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_participants_for_staff_in_two_teams_sees_both(north, south):
    west = TeamFactory(name="West")
    user = UserFactory(role="Administrator", teams=[north, south])
    mine = {ParticipantFactory(team=north).pk, ParticipantFactory(team=south).pk}
    ParticipantFactory(team=west)

    assert set(participants_for(user).values_list("pk", flat=True)) == mine


def test_participants_for_staff_without_a_team_sees_nobody(north):
    user = UserFactory(role="Administrator")
    ParticipantFactory(team=north)

    assert list(participants_for(user)) == []


def test_participants_for_supervisor_sees_every_team(supervisor, north, south):
    expected = {ParticipantFactory(team=north).pk, ParticipantFactory(team=south).pk}

    assert set(participants_for(supervisor).values_list("pk", flat=True)) == expected


def test_get_participant_for_outside_teams_raises_404(administrator, south):
    participant = ParticipantFactory(team=south)

    with pytest.raises(Http404):
        get_participant_for(administrator, participant.pk)


def test_teams_for_lists_own_teams_or_all(administrator, supervisor, north, south):
    assert list(teams_for(administrator)) == [north]
    assert list(teams_for(supervisor)) == [north, south]

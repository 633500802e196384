"""Team scoping: which participants a member of staff may see.

Every view that shows a participant, or anything hanging off one, fetches it through
these helpers, so a participant outside the user's teams is a 404 everywhere.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from participants.models import Participant, Team


def participants_for(user: AbstractBaseUser) -> QuerySet[Participant]:
    return Participant.objects.visible_to(user)


def get_participant_for(user: AbstractBaseUser, pk: int) -> Participant:
    """The participant, or 404 when it is outside the user's teams."""
    return get_object_or_404(
        participants_for(user).select_related("team", "programme", "adviser"), pk=pk
    )


def teams_for(user: AbstractBaseUser) -> QuerySet[Team]:
    if user.has_perm("participants.view_all_teams"):
        return Team.objects.all()
    return user.teams.all()

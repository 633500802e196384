"""Team scoping: which participants a member of staff may see, and who may see a team.

Every view that shows a participant, or anything hanging off one, fetches it through
these helpers, so a participant outside the user's teams is a 404 everywhere. "Sees
every team" is decided here and nowhere else.
"""

from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from common.forms import active_staff
from participants.models import Participant, Team

VIEW_ALL_TEAMS = "participants.view_all_teams"


def sees_every_team(user: AbstractBaseUser) -> bool:
    """Prime-level staff (and superusers) see the participants of every team."""
    return user.has_perm(VIEW_ALL_TEAMS)


def participants_for(user: AbstractBaseUser) -> QuerySet[Participant]:
    """The participants of the user's teams, or everyone for those who see every team."""
    if sees_every_team(user):
        return Participant.objects.all()
    # A list of ids, not a subquery: with one team, SQLite can then walk the
    # (team, name) index in order instead of sorting the whole team.
    return Participant.objects.filter(team_id__in=list(user.teams.values_list("pk", flat=True)))


def of_participants_for(user: AbstractBaseUser, field: str = "participant_id") -> Q:
    """A filter of rows that hang off a participant (``field``) to those of the user's
    teams: nothing to check for those who see every team, else a check per row (EXISTS)
    rather than ``IN`` a list of the teams' participants, which SQLite builds in full
    (125,000 ids at a prime provider's size) before it reads a single row."""
    if sees_every_team(user):
        return Q()
    return Q(Exists(participants_for(user).filter(pk=OuterRef(field))))


def get_participant_for(user: AbstractBaseUser, pk: int) -> Participant:
    """The participant, or 404 when it is outside the user's teams."""
    return get_object_or_404(
        participants_for(user).select_related("team", "programme", "adviser"), pk=pk
    )


def teams_for(user: AbstractBaseUser) -> QuerySet[Team]:
    if sees_every_team(user):
        return Team.objects.all()
    return user.teams.all()


def staff_who_see(team: Team) -> QuerySet:
    """Active staff who can see the team's participants: its members, and whoever sees
    every team."""
    return active_staff(Q(teams=team) | _sees_every_team())


def staff_who_see_every_team() -> QuerySet:
    """Active superusers, and anyone given the permission by a role or directly."""
    return active_staff(_sees_every_team())


def _sees_every_team() -> Q:
    app_label, codename = VIEW_ALL_TEAMS.split(".")
    view_all = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        Q(is_superuser=True)
        | Q(groups__permissions__in=view_all)
        | Q(user_permissions__in=view_all)
    )

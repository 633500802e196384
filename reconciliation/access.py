"""Team scoping of imported rows: a row matched to a participant outside the user's
teams is never shown (nor its proposal); rows with no participant have no team."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from participants.access import sees_every_team
from participants.models import Participant
from reconciliation.models import ImportedRow


def team_ids_of(user: AbstractBaseUser) -> set[int] | None:
    """The user's teams, or None for those who see every team."""
    if sees_every_team(user):
        return None
    return set(user.teams.values_list("pk", flat=True))


def visible_rows(user: AbstractBaseUser, rows: QuerySet[ImportedRow]) -> QuerySet[ImportedRow]:
    teams = team_ids_of(user)
    if teams is None:
        return rows
    return rows.filter(Q(participant__isnull=True) | Q(participant__team_id__in=sorted(teams)))


def may_see(teams: set[int] | None, participant: Participant | None) -> bool:
    return participant is not None and (teams is None or participant.team_id in teams)

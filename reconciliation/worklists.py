"""The worklists for Supervisors: DWP late, DWP missing, unknown employment, conflicts.

Each is one query over the user's teams (so it pages and counts like any list), built
from the same rules as ``reconciliation.comparison`` flags a single milestone with —
tests hold the two to the same answers.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from milestones.models import ParticipantMilestone
from reconciliation.access import team_ids_of
from reconciliation.comparison import ACHIEVED_STATUSES
from reconciliation.models import DwpNotification, ImportedRow, NotificationImport
from trackers.models import Tracker


@dataclass(frozen=True)
class Worklist:
    slug: str
    label: str
    explanation: str


LATE = Worklist(
    "late", "DWP late", "DWP confirmed more than {late_weeks} weeks after the projected date."
)
MISSING = Worklist(
    "missing",
    "DWP missing",
    "Projected achieved {missing_days} days ago or more, and nothing from DWP: chase it, "
    "or check the PRaP start date.",
)
UNKNOWN = Worklist(
    "unknown-employment",
    "Unknown employment",
    "DWP confirmed, but no job (or self-employment) is recorded: evidence is needed "
    "before validation.",
)
CONFLICTS = Worklist(
    "conflicts",
    "Conflicts",
    "Rows of applied DWP files that contradict what the tracker holds.",
)
WORKLISTS = {worklist.slug: worklist for worklist in (LATE, MISSING, UNKNOWN, CONFLICTS)}


def _scoped(queryset: QuerySet, user: AbstractBaseUser, path: str) -> QuerySet:
    teams = team_ids_of(user)
    if teams is None:
        return queryset
    return queryset.filter(**{f"{path}team_id__in": sorted(teams)})


def late(user: AbstractBaseUser) -> QuerySet[DwpNotification]:
    allowed = datetime.timedelta(weeks=settings.DWP_LATE_WEEKS)
    queryset = DwpNotification.objects.filter(
        participant_milestone__projected_date__isnull=False,
        notification_date__gt=ExpressionWrapper(
            F("participant_milestone__projected_date") + allowed, output_field=DateField()
        ),
    )
    return _scoped(queryset, user, "participant__")


def unknown_employment(user: AbstractBaseUser) -> QuerySet[DwpNotification]:
    def recorded(kind: str) -> Exists:
        return Exists(Tracker.objects.filter(participant=OuterRef("participant_id"), type=kind))

    self_employment = ParticipantMilestone.Kind.SELF_EMPLOYMENT
    queryset = DwpNotification.objects.filter(
        (Q(participant_milestone__kind=self_employment) & ~recorded(Tracker.Type.SELF_EMPLOYMENT))
        | (~Q(participant_milestone__kind=self_employment) & ~recorded(Tracker.Type.JOB))
    )
    return _scoped(queryset, user, "participant__")


def missing(user: AbstractBaseUser, *, today: datetime.date) -> QuerySet[ParticipantMilestone]:
    queryset = ParticipantMilestone.objects.filter(
        status__in=ACHIEVED_STATUSES,
        projected_date__lte=today - datetime.timedelta(days=settings.DWP_MISSING_DAYS),
        dwp_notification__isnull=True,
    )
    return _scoped(queryset, user, "participant__")


def conflicts(user: AbstractBaseUser) -> QuerySet[ImportedRow]:
    queryset = ImportedRow.objects.filter(
        state=ImportedRow.State.CONFLICT,
        resolution="",
        notification_import__status=NotificationImport.Status.APPLIED,
        participant__isnull=False,
    )
    return _scoped(queryset, user, "participant__")


def entries(slug: str, user: AbstractBaseUser, *, today: datetime.date) -> QuerySet:
    """The worklist's rows, with what its page and export show, in a stable order."""
    if slug == MISSING.slug:
        return (
            missing(user, today=today)
            .select_related("participant__team", "participant__programme")
            .order_by("projected_date", "id")
        )
    if slug == CONFLICTS.slug:
        return (
            conflicts(user)
            .select_related("participant__team", "participant__programme", "notification_import")
            .order_by("-notification_import__uploaded_at", "line")
        )
    queryset = late(user) if slug == LATE.slug else unknown_employment(user)
    return queryset.select_related(
        "participant__team", "participant__programme", "participant_milestone"
    ).order_by("notification_date", "id")


def counts(user: AbstractBaseUser, *, today: datetime.date) -> dict[str, int]:
    return {
        LATE.slug: late(user).count(),
        MISSING.slug: missing(user, today=today).count(),
        UNKNOWN.slug: unknown_employment(user).count(),
        CONFLICTS.slug: conflicts(user).count(),
    }

"""The review queue: which trackers a reviewer sees, in which tab, overdue by what rule,
and who the reviewers are. Queries only; ``reviews.services`` writes."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.forms import active_staff
from common.pagination import count_up_to_limit
from milestones.models import ParticipantMilestone
from participants.access import of_participants_for
from trackers.models import Tracker

Status = Tracker.Status
WAITING = Tracker.WAITING
DECIDED = (Status.APPROVED, Status.REJECTED)
REVIEW_PERMISSION = ("reviews", "review_tracker")


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS = [
    Tab("mine", "Assigned to me"),
    Tab("unassigned", "Unassigned"),
    Tab("info", "Info requested"),
    Tab("overdue", "Overdue"),
    Tab("decided", "Decided"),
]


def reviewable(user: AbstractBaseUser) -> QuerySet[Tracker]:
    """The trackers of the participants the user may see (their teams)."""
    return Tracker.objects.filter(of_participants_for(user))


def overdue(now: datetime.datetime) -> Q:
    """New or In review for longer than REVIEW_OVERDUE_DAYS, or not yet approved while
    the participant has an Achieved milestone that no approval verifies."""
    since = now - datetime.timedelta(days=settings.REVIEW_OVERDUE_DAYS)
    unverified = ParticipantMilestone.objects.filter(
        participant=OuterRef("participant"), status=ParticipantMilestone.Status.ACHIEVED
    )
    return Q(status__in=WAITING, waiting_since__lt=since) | (
        Q(Exists(unverified)) & ~Q(status__in=DECIDED)
    )


def with_waiting_since(trackers: QuerySet[Tracker]) -> QuerySet[Tracker]:
    return trackers.annotate(waiting_since=Coalesce("submitted_at", "created_at"))


def tab_filter(key: str, *, user: AbstractBaseUser, now: datetime.datetime) -> Q:
    return {
        "mine": Q(assignee=user, status__in=WAITING),
        "unassigned": Q(assignee__isnull=True, status__in=WAITING),
        "info": Q(status=Status.INFO_REQUESTED),
        "overdue": overdue(now),
        "decided": Q(status__in=DECIDED),
    }[key]


def tab_counts(trackers: QuerySet[Tracker], *, user, now: datetime.datetime) -> dict[str, int]:
    """How many trackers each tab holds, one query a tab, each counted no further than
    COUNT_LIMIT + 1 (the page then says "1,000+"): an exact count of every decided
    tracker of a prime provider's teams cost more than the rest of the page."""
    waiting = with_waiting_since(trackers)
    return {
        tab.key: count_up_to_limit(waiting.filter(tab_filter(tab.key, user=user, now=now)))
        for tab in TABS
    }


def for_queue(trackers: QuerySet[Tracker], *, today: datetime.date) -> QuerySet[Tracker]:
    """With what the queue shows: participant, employer, assignee, how long it has
    waited, and the participant's next projected milestone."""
    next_milestone = (
        ParticipantMilestone.objects.filter(
            participant=OuterRef("participant"), projected_date__gte=today
        )
        .order_by("projected_date")
        .values("projected_date")[:1]
    )
    return (
        with_waiting_since(trackers)
        .select_related("participant", "participant__team", "organisation", "assignee")
        .annotate(next_milestone=Subquery(next_milestone))
    )


ORDERINGS = {
    "age": [F("waiting_since").asc(), "pk"],
    "milestone": [F("next_milestone").asc(nulls_last=True), "pk"],
}


def reviewers() -> QuerySet:
    """Active staff who may review (their role or their own permission says so)."""
    app_label, codename = REVIEW_PERMISSION
    may = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return active_staff(Q(groups__permissions__in=may) | Q(user_permissions__in=may))


def caseloads(trackers: QuerySet[Tracker], *, now: datetime.datetime) -> list[dict]:
    """Each reviewer's open trackers (waiting or info requested) and how many are overdue,
    within these trackers."""
    open_ = Q(status__in=(*WAITING, Status.INFO_REQUESTED))
    counts = {
        row["assignee"]: row
        for row in with_waiting_since(trackers.filter(open_, assignee__isnull=False))
        .values("assignee")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue(now)))
        .order_by()
    }
    return [
        {
            "reviewer": reviewer,
            **{k: counts.get(reviewer.pk, {}).get(k, 0) for k in ("open", "overdue")},
        }
        for reviewer in reviewers()
    ]

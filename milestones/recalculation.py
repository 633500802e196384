"""Keeps each participant's stored milestones in step with their trackers.

The rule itself is ``programmes.projection`` (pure Python); this module feeds it a
participant's trackers and the programme's milestones and stores the answer as
ParticipantMilestone rows. Called by ``milestones.services`` on every tracker create,
edit and end, participant programme change and programme save, and by ``manage.py
recalculate_milestones`` (nightly, so that statuses move on as days pass).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from milestones.models import ParticipantMilestone
from participants.models import Participant
from programmes.models import FinancialMilestone, Programme
from programmes.projection import Job, Projection, project, project_self_employment
from programmes.projection import Status as ProjectionStatus
from trackers.models import Tracker

Stored = ParticipantMilestone
SAVED_FIELDS = ["name", "amount", "earned_to_date", "projected_date", "weeks_left", "status", "calculated_on"]  # fmt: skip
BATCH = 1000


@dataclass
class Changes:
    """What a recalculation will write: kept together so it is applied all at once."""

    create: list[Stored] = field(default_factory=list)
    update: list[Stored] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)

    def extend(self, other: "Changes") -> None:
        self.create += other.create
        self.update += other.update
        self.delete += other.delete

    @property
    def rows(self) -> int:
        return len(self.create) + len(self.update) + len(self.delete)


def projects_milestones(programme: Programme) -> bool:
    return programme.milestones_enabled and programme.scheme == Programme.Scheme.DWP_RESTART


def window_end(participant: Participant) -> datetime.date:
    """The last day of the outcome window (the last date there is, for a window that would
    run past the calendar: no typed-in window or start date may break a save)."""
    start = participant.programme_start_date
    days = min(participant.programme.outcome_window_days, (datetime.date.max - start).days)
    return start + datetime.timedelta(days=days)


def jobs_of(trackers: Iterable[Tracker]) -> list[Job]:
    return [
        Job(
            start=tracker.start_date,
            end=tracker.end_date,
            weekly_hours=tracker.weekly_hours,
            hourly_rate=tracker.hourly_rate,
        )
        for tracker in trackers
        if tracker.type == Tracker.Type.JOB
    ]


def recalculate_participant(
    participant: Participant, *, today: datetime.date | None = None
) -> Changes:
    """Recalculate and store one participant's milestones, all together or not at all."""
    participants = Participant.objects.filter(pk=participant.pk)
    return recalculate(participants, today=today)


def recalculate(
    participants: QuerySet[Participant],
    *,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Changes:
    """Recalculate the given participants' milestones in batches of BATCH participants,
    each batch in one transaction. ``progress(done, rows)`` is called after each batch."""
    today = today or timezone.localdate()
    total = Changes()
    pks = list(participants.order_by("pk").values_list("pk", flat=True))
    milestones_of = _financial_milestones()
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            batch = (
                # Locking the participants makes two saves for one participant take
                # turns, so they never both insert its milestone rows.
                Participant.objects.filter(pk__in=pks[start : start + BATCH])
                .select_for_update(of=("self",))
                .select_related("programme")
                .prefetch_related(
                    Prefetch("trackers", Tracker.objects.order_by("start_date", "pk")), "milestones"
                )
            )
            changes = Changes()
            for participant in batch:
                changes.extend(
                    _changes_for(participant, milestones_of(participant.programme), today)
                )
            _apply(changes)
        total.extend(changes)
        if progress:
            progress(min(start + BATCH, len(pks)), total.rows)
    return total


def _financial_milestones() -> Callable[[Programme], list[FinancialMilestone]]:
    cache: dict[int, list[FinancialMilestone]] = {}

    def of(programme: Programme) -> list[FinancialMilestone]:
        if programme.pk not in cache:
            cache[programme.pk] = list(programme.financial_milestones.order_by("position"))
        return cache[programme.pk]

    return of


def _changes_for(participant, financial: list[FinancialMilestone], today) -> Changes:
    existing = {row.financial_milestone_id: row for row in participant.milestones.all()}
    changes = Changes()
    wanted: dict[int | None, tuple[str, Projection, FinancialMilestone | None]] = {}
    trackers = list(participant.trackers.all())
    if projects_milestones(participant.programme):
        ends = window_end(participant)
        projections = project(
            jobs=jobs_of(trackers),
            amounts=[m.amount for m in financial],
            window_end=ends,
            today=today,
        )
        for milestone, projection in zip(financial, projections, strict=True):
            wanted[milestone.pk] = (milestone.name, projection, milestone)
        self_employed = [t for t in trackers if t.type == Tracker.Type.SELF_EMPLOYMENT]
        if self_employed:
            start = min(t.start_date for t in self_employed)
            projection = project_self_employment(start=start, window_end=ends, today=today)
            wanted[None] = ("Self-employment (26 weeks)", projection, None)
    for key, (name, projection, milestone) in wanted.items():
        row = existing.pop(key, None)
        kind = Stored.Kind.EARNINGS if milestone else Stored.Kind.SELF_EMPLOYMENT
        verified = _verified(projection, kind, trackers)
        if row is None:
            row = Stored(participant=participant, financial_milestone=milestone, kind=kind)
            _fill(row, name, projection, today, verified=verified)
            changes.create.append(row)
        elif _fill(row, name, projection, today, verified=verified):
            changes.update.append(row)
    changes.delete += [row.pk for row in existing.values()]
    return changes


def _verified(projection: Projection, kind: str, trackers: list[Tracker]) -> bool:
    """Whether compliance's approvals support an Achieved milestone: every tracker that
    earned towards it (of its kind, started by its date) is Approved."""
    if projection.status != ProjectionStatus.ACHIEVED:
        return False
    wanted = Tracker.Type.JOB if kind == Stored.Kind.EARNINGS else Tracker.Type.SELF_EMPLOYMENT
    earning = [
        t for t in trackers if t.type == wanted and t.start_date <= projection.projected_date
    ]
    return bool(earning) and all(t.status == Tracker.Status.APPROVED for t in earning)


def _fill(row: Stored, name: str, projection: Projection, today, *, verified: bool) -> bool:
    """Copy the projection onto the row; True when anything shown changed."""
    values = {
        "name": name,
        "amount": projection.amount if row.kind == Stored.Kind.EARNINGS else None,
        "earned_to_date": projection.earned_to_date,
        "projected_date": projection.projected_date,
        "weeks_left": projection.weeks_left,
        # Verified is compliance's word: it stands while the approvals behind it do.
        "status": Stored.Status.VERIFIED if verified else projection.status.value,
    }
    changed = any(getattr(row, name_) != value for name_, value in values.items())
    for name_, value in values.items():
        setattr(row, name_, value)
    row.calculated_on = today
    return changed or row.pk is None


def _apply(changes: Changes) -> None:
    if changes.delete:
        Stored.objects.filter(pk__in=changes.delete).delete()
    if changes.create:
        bulk_create_with_history(changes.create, Stored, batch_size=BATCH)
    if changes.update:
        bulk_update_with_history(changes.update, Stored, SAVED_FIELDS, batch_size=BATCH)

"""Keeps each participant's stored milestones in step with their trackers.

The rule itself is ``programmes.projection`` (pure Python); this module feeds it a
participant's trackers and the programme's milestones and stores the answer as
ParticipantMilestone rows. Called by ``milestones.services`` on every tracker create,
edit and end, participant programme change and programme save, and by ``manage.py
recalculate_milestones`` (nightly, so that statuses move on as days pass).

Participants are recalculated in batches of BATCH, each batch in one transaction and a
fixed number of queries however many participants it holds: the participants, their
trackers and their stored milestones are read as plain values (building a model object
per row cost more than the projection), and only the rows that change are written, with
bulk inserts, updates and deletes and a history row for each.
"""

import datetime
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from common.bulk_history import delete_with_history, insert_with_history, upsert_with_history
from common.lookups import AnyOf
from milestones import forecast_days
from milestones.forecast_days import ForecastChanges
from milestones.models import ClaimAttempt, ParticipantMilestone
from participants.models import Participant
from programmes.models import FinancialMilestone, Programme
from programmes.projection import Job, Period, Projection, project, project_self_employment
from programmes.projection import Status as ProjectionStatus
from trackers.models import Tracker

Stored = ParticipantMilestone
SAVED_FIELDS = ["name", "amount", "earned_to_date", "projected_date", "weeks_left", "status", "calculated_on"]  # fmt: skip
# What a recalculation compares with the stored row: a change to any of these is written.
SHOWN_FIELDS = SAVED_FIELDS[:-1]
BATCH = 1000
SELF_EMPLOYMENT_NAME = "Self-employment (26 weeks)"

_COLUMNS = [f.attname for f in Stored._meta.concrete_fields]
_SHOWN = [_COLUMNS.index(name) for name in SHOWN_FIELDS]
_PARTICIPANT = _COLUMNS.index("participant_id")
_FINANCIAL = _COLUMNS.index("financial_milestone_id")
_KIND = _COLUMNS.index("kind")
_COUNTED = [_COLUMNS.index(name) for name in ("projected_date", "status", "amount")]
# A new row's columns in order, with their defaults: built positionally, a row costs half.
_NEW_ROW = {f.attname: f.get_default() for f in Stored._meta.concrete_fields}


@dataclass
class Changes:
    """What a recalculation will write: kept together so it is applied all at once."""

    create: list[Stored] = field(default_factory=list)
    update: list[Stored] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    # What the rows above change in the forecast's counts.
    forecast: ForecastChanges = field(default_factory=ForecastChanges)

    def extend(self, other: "Changes") -> None:
        self.create += other.create
        self.update += other.update
        self.delete += other.delete
        self.forecast.extend(other.forecast)

    @property
    def rows(self) -> int:
        return len(self.create) + len(self.update) + len(self.delete)


@dataclass
class Tally:
    """How many milestone rows a recalculation wrote (counts only, so that a run over
    every participant holds no rows in memory)."""

    participants: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.deleted

    def add(self, participants: int, changes: Changes) -> None:
        self.participants += participants
        self.created += len(changes.create)
        self.updated += len(changes.update)
        self.deleted += len(changes.delete)


class TrackerFacts(NamedTuple):
    """What the projection and the verification read of a tracker (read as values)."""

    type: str
    start_date: datetime.date
    end_date: datetime.date | None
    weekly_hours: Decimal
    hourly_rate: Decimal
    status: str


_TRACKER_COLUMNS = ["participant_id", *TrackerFacts._fields]


class ProgrammeFacts(NamedTuple):
    """What the recalculation reads of a participant's programme (with the participant)."""

    milestones_enabled: bool
    scheme: str
    outcome_window_days: int


_PARTICIPANT_COLUMNS = [
    "pk",
    "programme_start_date",
    "programme_id",
    "team_id",
    *(f"programme__{name}" for name in ProgrammeFacts._fields),
]


def projects_milestones(programme: Programme | ProgrammeFacts) -> bool:
    return programme.milestones_enabled and programme.scheme == Programme.Scheme.DWP_RESTART


def window_end(participant: Participant) -> datetime.date:
    """The last day of the outcome window (the last date there is, for a window that would
    run past the calendar: no typed-in window or start date may break a save)."""
    return _window_end(participant.programme_start_date, participant.programme)


def _window_end(start: datetime.date, programme: Programme | ProgrammeFacts) -> datetime.date:
    days = min(programme.outcome_window_days, (datetime.date.max - start).days)
    return start + datetime.timedelta(days=days)


def jobs_of(trackers: Iterable[Tracker | TrackerFacts]) -> list[Job]:
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
    changes = Changes()
    for _, _, batch in _batches([participant.pk], today=today):
        changes.extend(batch)
    return changes


def recalculate(
    participants: QuerySet[Participant],
    *,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Changes:
    """Recalculate the given participants' milestones in batches of BATCH participants,
    each batch in one transaction. ``progress(done, rows)`` is called after each batch.

    Returns every row written; over many participants prefer ``recalculate_in_batches``,
    which keeps only counts."""
    total = Changes()
    for done, _, changes in _batches(_pks(participants), today=today):
        total.extend(changes)
        if progress:
            progress(done, total.rows)
    return total


def recalculate_in_batches(
    participants: QuerySet[Participant],
    *,
    today: datetime.date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Tally:
    """Recalculate the given participants' milestones, BATCH participants at a time, and
    return how many rows were written.

    For long runs (the nightly recalculation, a programme-wide job): each batch is its own
    transaction and is committed before the next starts, so a run that stops half-way
    keeps the batches it finished, and running it again is safe (a participant whose rows
    are already right writes nothing). ``on_progress(done, total)`` is called after each
    committed batch with the participants done so far and the participants to do (fixed
    when the run starts). Called inside an atomic block, the batches are savepoints of
    that transaction instead."""
    tally = Tally()
    for done, total, changes in _batches(_pks(participants), today=today):
        tally.add(done - tally.participants, changes)
        if on_progress:
            on_progress(done, total)
    return tally


def _pks(participants: QuerySet[Participant]) -> list[int]:
    return list(participants.order_by("pk").values_list("pk", flat=True))


def _batches(pks: list[int], *, today: datetime.date | None) -> Iterator[tuple[int, int, Changes]]:
    """Recalculate and store each batch of the participants, yielding (participants done,
    participants in all, the batch's changes) after its transaction.

    On PostgreSQL outside a transaction, a run of more than one batch goes in two lanes,
    each a thread with its own connection taking every other batch: one lane works out a
    batch in Python while the database writes the other's, which one lane alone would
    wait for (the batches are disjoint, each its own transaction, and the forecast's
    counts are written in key order, so the lanes never wait on each other for long).
    Batches may then finish out of order; the participants done still only grow."""
    today = today or timezone.localdate()
    milestones_of = _FinancialMilestones()
    batch = BATCH  # read once, so that a run keeps one batch size
    chunks = [pks[start : start + batch] for start in range(0, len(pks), batch)]

    def store(chunk: list[int]) -> tuple[int, Changes]:
        with transaction.atomic():
            changes = _recalculate_batch(chunk, milestones_of, today)
            _apply(changes)
        return len(chunk), changes

    done = 0
    two_lanes = connection.vendor == "postgresql" and not connection.in_atomic_block
    for count, changes in (
        _in_lanes(store, chunks) if two_lanes and len(chunks) > 1 else map(store, chunks)
    ):
        done += count
        yield done, len(pks), changes


def _in_lanes(store: Callable, chunks: list[list[int]], lanes: int = 2) -> Iterator:
    """``store`` of each chunk, in ``lanes`` threads of their own connection, yielded as
    each finishes. An error in a lane is raised here once the lanes have stopped; a
    caller that stops early stops them after the batch each is storing."""
    finished: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def lane(mine: list[list[int]]) -> None:
        try:
            for chunk in mine:
                if stop.is_set():
                    return
                finished.put(store(chunk))
        except BaseException as error:  # handed to the caller, which raises it
            finished.put(error)
        finally:
            connections.close_all()  # this thread's own

    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="recalculation") as pool:
        for number in range(lanes):
            pool.submit(lane, chunks[number::lanes])
        try:
            for _ in chunks:
                outcome = finished.get()
                if isinstance(outcome, BaseException):
                    raise outcome
                yield outcome
        finally:
            stop.set()


class _FinancialMilestones:
    """Each programme's financial milestones, in order: read once a run, in one query for
    all the programmes a batch needs that earlier batches did not. Shared by the lanes:
    a programme's list is added whole, never seen half-read."""

    def __init__(self) -> None:
        self.cache: dict[int, list[FinancialMilestone]] = {}

    def load(self, programmes: set[int]) -> None:
        missing = programmes - self.cache.keys()
        if not missing:
            return
        found: dict[int, list[FinancialMilestone]] = {programme: [] for programme in missing}
        for milestone in FinancialMilestone.objects.filter(programme__in=missing).order_by(
            "programme_id", "position"
        ):
            found[milestone.programme_id].append(milestone)
        self.cache |= found


def _recalculate_batch(pks: Sequence[int], milestones_of: _FinancialMilestones, today) -> Changes:
    """Read a batch's participants (locked) with their programmes, the programmes'
    milestones (unless read already), trackers and stored milestones, in four queries
    whatever its size, and work out what to write."""
    # Locking the participants makes two saves for one participant take turns, so they
    # never both insert its milestone rows.
    people = [
        (pk, start, (programme, team), ProgrammeFacts(*facts))
        for pk, start, programme, team, *facts in Participant.objects.filter(AnyOf(F("pk"), pks))
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list(*_PARTICIPANT_COLUMNS)
    ]
    milestones_of.load(
        {programme for _, _, (programme, _), facts in people if projects_milestones(facts)}
    )
    trackers: defaultdict[int, list[TrackerFacts]] = defaultdict(list)
    for participant, *facts in (
        Tracker.objects.filter(AnyOf(F("participant_id"), pks))
        .order_by("participant_id", "start_date", "pk")
        .values_list(*_TRACKER_COLUMNS)
    ):
        trackers[participant].append(TrackerFacts(*facts))
    stored: defaultdict[int, list[tuple]] = defaultdict(list)
    for row in (
        Stored.objects.filter(AnyOf(F("participant_id"), pks)).order_by("pk").values_list(*_COLUMNS)
    ):
        stored[row[_PARTICIPANT]].append(row)
    changes = Changes()
    for pk, start, counted_under, facts in people:
        _changes_for(
            changes,
            participant=pk,
            counted_under=counted_under,
            start=start,
            programme=facts,
            financial=milestones_of.cache.get(counted_under[0], []),
            trackers=trackers[pk],
            stored=stored[pk],
            today=today,
        )
    return changes


def _changes_for(
    changes: Changes,
    *,
    participant: int,
    counted_under: tuple[int, int],
    start: datetime.date,
    programme: ProgrammeFacts,
    financial: list[FinancialMilestone],
    trackers: list[TrackerFacts],
    stored: list[tuple],
    today: datetime.date,
) -> None:
    """Add to ``changes`` what one participant's rows need: the rows the rule wants that
    are missing, the stored rows whose shown values differ, and the rows no longer wanted;
    and, when any of that changes, the forecast's counts of the participant's rows as they
    were taken away and as they will be added (``counted_under``: (programme, team))."""
    written_before = changes.rows
    after: list[dict] = []
    existing = {row[_FINANCIAL]: row for row in stored}
    wanted: dict[int | None, tuple[str, Projection, FinancialMilestone | None]] = {}
    if projects_milestones(programme):
        ends = _window_end(start, programme)
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
            periods = [Period(start=t.start_date, end=t.end_date) for t in self_employed]
            projection = project_self_employment(periods=periods, window_end=ends, today=today)
            wanted[None] = (SELF_EMPLOYMENT_NAME, projection, None)
    for key, (name, projection, milestone) in wanted.items():
        row = existing.pop(key, None)
        kind = Stored.Kind.EARNINGS if milestone else Stored.Kind.SELF_EMPLOYMENT
        verified = _verified(projection, kind, trackers)
        values = _values(name, projection, row[_KIND] if row else kind, verified=verified)
        after.append(values)
        if row is None:
            new = _NEW_ROW | values
            new.update(
                participant_id=participant,
                financial_milestone_id=milestone.pk if milestone else None,
                kind=kind,
                calculated_on=today,
            )
            changes.create.append(Stored(*new.values()))
        elif any(row[index] != value for index, value in zip(_SHOWN, values.values(), strict=True)):
            updated = Stored.from_db(Stored.objects.db, _COLUMNS, row)
            for name_, value in values.items():
                setattr(updated, name_, value)
            updated.calculated_on = today
            changes.update.append(updated)
    for row in existing.values():
        changes.delete.append(row[0])
    if changes.rows == written_before:
        return
    for row in stored:
        changes.forecast.add(counted_under, *(row[index] for index in _COUNTED), sign=-1)
    for values in after:
        changes.forecast.add(
            counted_under, values["projected_date"], values["status"], values["amount"]
        )


def _verified(projection: Projection, kind: str, trackers: list[TrackerFacts]) -> bool:
    """Whether compliance's approvals support an Achieved milestone: every tracker that
    earned towards it (of its kind, started by its date) is Approved."""
    if projection.status != ProjectionStatus.ACHIEVED:
        return False
    wanted = Tracker.Type.JOB if kind == Stored.Kind.EARNINGS else Tracker.Type.SELF_EMPLOYMENT
    earning = [
        t for t in trackers if t.type == wanted and t.start_date <= projection.projected_date
    ]
    return bool(earning) and all(t.status == Tracker.Status.APPROVED for t in earning)


def _values(name: str, projection: Projection, kind: str, *, verified: bool) -> dict:
    """The shown values of a row, in SHOWN_FIELDS order."""
    return {
        "name": name,
        "amount": projection.amount if kind == Stored.Kind.EARNINGS else None,
        "earned_to_date": projection.earned_to_date,
        "projected_date": projection.projected_date,
        "weeks_left": projection.weeks_left,
        # Verified is compliance's word: it stands while the approvals behind it do.
        "status": Stored.Status.VERIFIED if verified else projection.status.value,
    }


def _apply(changes: Changes) -> None:
    """Write the changes in bulk, each row with its history row."""
    if changes.delete:
        _delete_claim_attempts(changes.delete)
        delete_with_history(changes.delete, Stored, batch_size=BATCH)
    if changes.create:
        insert_with_history(changes.create, Stored, batch_size=BATCH)
    if changes.update:
        upsert_with_history(changes.update, Stored, SAVED_FIELDS, batch_size=BATCH)
    forecast_days.apply(changes.forecast)


def _delete_claim_attempts(milestones: Sequence[int]) -> None:
    """Delete the PRaP claim attempts of milestones about to go (their history keeps
    them): the bulk delete of the milestones runs no cascade."""
    for start in range(0, len(milestones), BATCH):
        ClaimAttempt.objects.filter(milestone__in=milestones[start : start + BATCH]).delete()

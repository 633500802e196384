"""Matching each row of a notification file to a participant milestone, and the state it
lands in. The rules, in order:

1. The participant: by PO number exactly; else by NINO on the row's programme. A PO
   number without this provider's prefix is another provider's (Conflict). Surname and
   date of birth only ever *propose* a participant (the row stays Unmatched).
2. The milestone: the row's notification type, through the programme's notification
   types, names a financial milestone or the self-employed outcome. A type not mapped
   cannot be read; a participant with no projection of that milestone is a Conflict, as
   is a notification before the participant's start or after their outcome window ended.
3. Against what is held: nothing held → Matched, new; DWP created it later than the
   held one → Matched, updated; the same created date and details, or an older created
   date → Complete (nothing changes); the same created date with other details →
   Conflict.
4. Against earlier files: a row that is Unmatched or a Conflict again, as a row of an
   applied file with the same natural key was (DWP's files repeat what they sent
   before), is Complete: the earlier row is still waiting in its queue or worklist, or
   was dealt with by hand, and is not queued a second time.

Rows are matched in file order, each against what the rows before it would leave held,
so a file can carry a milestone's history. The lookups are a fixed number of queries per
file, whatever its length (batched under every engine's limit on parameters).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from milestones.models import ParticipantMilestone
from participants.models import Participant
from programmes.models import Programme
from reconciliation.files import ParsedRow
from reconciliation.models import (
    ColumnMapping,
    DwpNotification,
    ImportedRow,
    NotificationImport,
    NotificationType,
    PrapReference,
)

State = ImportedRow.State
# States whose rows wait for someone: the unmatched queue and the conflicts worklist.
WAITING = (State.UNMATCHED, State.CONFLICT)
BATCH_SIZE = 500
# What a notification holds, compared to decide Complete; and what applying writes.
HELD_FIELDS = (
    "notification_type",
    "date_created",
    "notification_date",
    "amount",
    "payment_status",
    "remittance_reference",
    "paid_date",
)


@dataclass
class Outcome:
    """What matching made of one row."""

    row: ParsedRow
    state: str
    message: str = ""
    natural_key: str = ""
    participant: Participant | None = None
    proposed: Participant | None = None
    milestone: ParticipantMilestone | None = None
    matched_by: str = ""
    held: DwpNotification | None = field(default=None, repr=False)

    @property
    def applies(self) -> bool:
        return self.state in (State.MATCHED_NEW, State.MATCHED_UPDATED)

    def notification_values(self) -> dict:
        return {name: self.row.values[name] for name in HELD_FIELDS}


def natural_key(values: dict) -> str:
    """DWP's identity of a notification: whose (PO number, else NINO), which type, and
    when DWP created it. The same row in a second file has the same key."""
    who = values["po_number"] or values["nino"]
    created = values["date_created"].isoformat() if values["date_created"] else ""
    return f"{who}|{values['notification_type'].casefold()}|{created}"[:200]


def _batches(values: Iterable) -> Iterable[list]:
    values = sorted(set(values) - {"", None})
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start : start + BATCH_SIZE]


class _Lookups:
    """Everything the rows of one file need from the database, read once per file."""

    def __init__(self, rows: Sequence[ParsedRow], mapping: ColumnMapping):
        self.mapping = mapping
        self.programmes = {p.name.casefold(): p for p in Programme.objects.all()}
        self.types = {
            (t.programme_id, t.label.casefold()): t for t in NotificationType.objects.all()
        }
        people = Participant.objects.select_related("programme", "prap_reference")
        self.by_po: dict[str, Participant] = {}
        for batch in _batches(row.values["po_number"] for row in rows):
            for reference in PrapReference.objects.filter(po_number__in=batch).select_related(
                "participant__programme"
            ):
                self.by_po[reference.po_number] = reference.participant
        self.by_nino: dict[str, Participant] = {}
        for batch in _batches(row.values["nino"] for row in rows):
            for participant in people.filter(nino__in=batch):
                self.by_nino[participant.nino] = participant
        self.by_birth: dict[tuple[str, datetime.date], list[Participant]] = {}
        for batch in _batches(row.values["date_of_birth"] for row in rows):
            for participant in people.filter(date_of_birth__in=batch).order_by("pk"):
                key = (participant.last_name.casefold(), participant.date_of_birth)
                self.by_birth.setdefault(key, []).append(participant)
        self.milestones: dict[tuple[int, object], ParticipantMilestone] = {}
        self.held: dict[int, DwpNotification] = {}

    def load_milestones(self, participant_ids: Iterable[int]) -> None:
        for batch in _batches(participant_ids):
            for milestone in ParticipantMilestone.objects.filter(participant_id__in=batch):
                key = (
                    "self_employment"
                    if milestone.kind == ParticipantMilestone.Kind.SELF_EMPLOYMENT
                    else milestone.financial_milestone_id
                )
                self.milestones[milestone.participant_id, key] = milestone
        for batch in _batches(m.pk for m in self.milestones.values()):
            for notification in DwpNotification.objects.filter(participant_milestone_id__in=batch):
                self.held[notification.participant_milestone_id] = notification


def match_rows(
    rows: Sequence[ParsedRow],
    mapping: ColumnMapping,
    *,
    participant: Participant | None = None,
) -> list[Outcome]:
    """Each row's outcome, in file order. ``participant`` forces the match (a
    Supervisor linking an unmatched row). Writes nothing."""
    lookups = _Lookups(rows, mapping)
    found = [_find_participant(row, lookups, forced=participant) for row in rows if not row.errors]
    lookups.load_milestones(outcome.participant.pk for outcome in found if outcome.participant)
    found_by_line = {outcome.row.line: outcome for outcome in found}
    seen_keys: dict[str, int] = {}
    outcomes = []
    for row in rows:
        if row.errors:
            outcomes.append(Outcome(row=row, state=State.INVALID, message=" ".join(row.errors)))
            continue
        outcome = found_by_line[row.line]
        outcome.natural_key = natural_key(row.values)
        if outcome.natural_key in seen_keys:
            outcome.state = State.INVALID
            outcome.message = (
                f"A duplicate of line {seen_keys[outcome.natural_key]}: the same "
                "notification, created the same day."
            )
            outcome.participant = outcome.proposed = None
        else:
            seen_keys[outcome.natural_key] = row.line
            if outcome.participant:
                _against_milestone(outcome, lookups)
        outcomes.append(outcome)
    if participant is None:  # a forced link is of the earlier row itself
        _against_earlier_files([o for o in outcomes if o.state in WAITING])
    return outcomes


def _against_earlier_files(outcomes: Sequence[Outcome]) -> None:
    """Rule 4: each outcome whose row an applied file already brought as Unmatched or a
    Conflict becomes Complete, saying where the earlier row is."""
    earlier: dict[str, ImportedRow] = {}
    for batch in _batches(outcome.natural_key for outcome in outcomes):
        rows = (
            ImportedRow.objects.filter(
                natural_key__in=batch,
                notification_import__status=NotificationImport.Status.APPLIED,
            )
            .filter(Q(state__in=WAITING) | ~Q(resolution=""))
            .select_related("notification_import")
            .order_by("-pk")  # the first one imported is kept
        )
        earlier |= {row.natural_key: row for row in rows}
    for outcome in outcomes:
        row = earlier.get(outcome.natural_key)
        if row is None:
            continue
        outcome.state, outcome.proposed = State.COMPLETE, None
        outcome.message = (
            f"Already brought by {row.notification_import.file_name} (line {row.line}), "
            f"{_where(row)}: nothing changes."
        )


def _where(row: ImportedRow) -> str:
    if row.resolution == ImportedRow.Resolution.LINKED:
        return "and linked to a participant by hand"
    if row.resolution:
        return "and closed by hand"
    if row.state == State.UNMATCHED:
        return "which is waiting in the unmatched queue"
    return "which is waiting on the conflicts worklist"


def _row_programme(row: ParsedRow, lookups: _Lookups) -> tuple[Programme | None, str]:
    name = row.values["programme_name"]
    if name:
        programme = lookups.programmes.get(name.casefold())
        if programme is None:
            return None, f"There is no programme called “{name}”."
        return programme, ""
    return lookups.mapping.programme, ""


def _find_participant(row: ParsedRow, lookups: _Lookups, *, forced: Participant | None) -> Outcome:
    values = row.values
    po_number, nino = values["po_number"], values["nino"]
    prefix = lookups.mapping.po_number_prefix.strip().upper()
    if po_number and prefix and not po_number.startswith(prefix):
        return Outcome(
            row=row,
            state=State.CONFLICT,
            message=f"PO number {po_number} is not one of this provider's (they start "
            f"{prefix}): the notification is for another provider.",
        )
    programme, programme_problem = _row_programme(row, lookups)
    if forced is not None:
        return Outcome(row=row, state="", participant=forced, matched_by="link")
    if po_number and po_number in lookups.by_po:
        participant = lookups.by_po[po_number]
        if nino and participant.nino and participant.nino != nino:
            return Outcome(
                row=row,
                state=State.CONFLICT,
                message=f"PO number {po_number} is {participant.reference}'s, whose National "
                "Insurance number is not the row's.",
            )
        if programme and participant.programme_id != programme.pk:
            return Outcome(
                row=row,
                state=State.CONFLICT,
                message=f"PO number {po_number} is {participant.reference}'s, who is on "
                f"{participant.programme}, not {programme}.",
            )
        return Outcome(row=row, state="", participant=participant, matched_by="po_number")
    if nino and nino in lookups.by_nino:
        participant = lookups.by_nino[nino]
        if programme and participant.programme_id == programme.pk:
            return Outcome(row=row, state="", participant=participant, matched_by="nino")
        reason = programme_problem or (
            f"the participant with this National Insurance number is on "
            f"{participant.programme}, not {programme}"
            if programme
            else "the row names no programme, and the NINO matches only with one"
        )
        return _unmatched(row, lookups, reason=reason)
    reason = "No participant has this PO number" if po_number else "No participant has"
    if nino:
        reason += (
            " or National Insurance number" if po_number else " this National Insurance number"
        )
    return _unmatched(row, lookups, reason=reason)


def _unmatched(row: ParsedRow, lookups: _Lookups, *, reason: str) -> Outcome:
    """Unmatched, with a participant proposed when exactly one has the row's surname and
    date of birth (never applied without a Supervisor's link)."""
    values = row.values
    proposed = None
    if values["surname"] and values["date_of_birth"]:
        candidates = lookups.by_birth.get((values["surname"].casefold(), values["date_of_birth"]))
        if candidates and len(candidates) == 1:
            proposed = candidates[0]
    message = reason[0].upper() + reason[1:] + "."
    if proposed:
        # Named on the page only to those who may see the participant.
        message += " A participant has the same surname and date of birth: check, then link it."
    return Outcome(row=row, state=State.UNMATCHED, message=message, proposed=proposed)


def _against_milestone(outcome: Outcome, lookups: _Lookups) -> None:
    values = outcome.row.values
    participant = outcome.participant
    notification_type = lookups.types.get(
        (participant.programme_id, values["notification_type"].casefold())
    )
    if notification_type is None:
        outcome.state = State.INVALID
        outcome.message = (
            f"The notification type “{values['notification_type']}” is not mapped to a "
            f"milestone of {participant.programme}; a data-fix user adds it in admin."
        )
        return
    key = (
        "self_employment"
        if notification_type.self_employment
        else notification_type.financial_milestone_id
    )
    milestone = lookups.milestones.get((participant.pk, key))
    if milestone is None:
        outcome.state = State.CONFLICT
        outcome.message = (
            f"{participant.reference} has no projection of the milestone "
            f"“{values['notification_type']}” confirms."
        )
        return
    outcome.milestone = milestone
    notified = values["notification_date"]
    if notified < participant.programme_start_date:
        outcome.state = State.CONFLICT
        outcome.message = (
            f"The notification date is before {participant.reference} started on "
            f"{participant.programme_start_date:%-d %B %Y}."
        )
        return
    window_end = participant.programme_start_date + datetime.timedelta(
        days=participant.programme.outcome_window_days
    )
    if notified > window_end:
        outcome.state = State.CONFLICT
        outcome.message = (
            f"The notification date is after {participant.reference}'s outcome window "
            f"ended on {window_end:%-d %B %Y}."
        )
        return
    held = lookups.held.get(milestone.pk)
    outcome.held = held
    if held is None:
        outcome.state = State.MATCHED_NEW
    elif values["date_created"] > held.date_created:
        outcome.state = State.MATCHED_UPDATED
        outcome.message = f"Replaces DWP's notification created {held.date_created:%-d %B %Y}."
    elif values["date_created"] < held.date_created:
        outcome.state = State.COMPLETE
        outcome.message = (
            f"Older than the notification held (created {held.date_created:%-d %B %Y}): "
            "nothing changes."
        )
        return
    elif held.same_as(outcome.notification_values()):
        outcome.state = State.COMPLETE
        outcome.message = "Already held: nothing changes."
        return
    else:
        outcome.state = State.CONFLICT
        outcome.message = (
            "DWP created a notification for this milestone the same day with other details: "
            "check it in PRaP."
        )
        return
    # What a later row of the same file is compared with.
    lookups.held[milestone.pk] = DwpNotification(
        participant_milestone=milestone, participant=participant, **outcome.notification_values()
    )

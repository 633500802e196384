"""Importing a notification file: preview it (rows matched and stored, nothing applied),
apply it (all of it in one transaction, or nothing), and resolve its unmatched rows.

The file itself is kept with the import, so that applying re-reads and re-matches it on
whichever server confirms: what is held may have changed since the preview.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from participants.models import Participant
from reconciliation.files import FileRefused, ParsedRow, parse_row, read_file, resolve_columns
from reconciliation.matching import HELD_FIELDS, WAITING, Outcome, match_rows
from reconciliation.models import (
    ColumnMapping,
    Debit,
    DwpNotification,
    ImportedRow,
    NotificationImport,
    PrapReference,
)

State = ImportedRow.State
STANDARD_MAPPING = "Standard"
# Rows stored per query; progress(done, total) is reported after each batch.
ROW_BATCH = 500
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why."""


def standard_mapping() -> ColumnMapping:
    """The mapping of the proposed provider-side CSV (reference §4), made on first use so
    that it survives a test database being flushed."""
    mapping, _ = ColumnMapping.objects.get_or_create(name=STANDARD_MAPPING)
    return mapping


def _parse(data: bytes, *, file_name: str, columns: dict, max_rows: int | None):
    raw = read_file(data, file_name=file_name, max_rows=max_rows)
    resolved, unknown = resolve_columns(raw.headings, columns)
    return [parse_row(row, resolved) for row in raw.rows], unknown


def preview_file(
    *,
    data: bytes,
    file_name: str,
    mapping: ColumnMapping,
    uploaded_by: AbstractBaseUser,
    max_rows: int | None = None,
) -> NotificationImport:
    """Read and match the file and keep it, with its rows and their states; nothing is
    applied. Raises ``FileRefused`` when the file cannot be read (then nothing is kept)."""
    rows, unknown = _parse(data, file_name=file_name, columns=mapping.columns, max_rows=max_rows)
    outcomes = match_rows(rows, mapping)
    with transaction.atomic():
        notification_import = NotificationImport.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            mapping=mapping,
            mapping_used=mapping.columns,
            ignored_columns=unknown,
            counts=_counts(outcomes),
            uploaded_by=uploaded_by,
        )
        _store_rows(notification_import, outcomes)
    return notification_import


def _counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = Counter(outcome.state for outcome in outcomes)
    return {state: counts.get(state, 0) for state in State.values}


def _store_rows(
    notification_import: NotificationImport,
    outcomes: Sequence[Outcome],
    progress: Progress | None = None,
):
    rows = [
        ImportedRow(
            notification_import=notification_import,
            line=outcome.row.line,
            raw=dict(outcome.row.raw),
            **outcome.row.values,
            natural_key=outcome.natural_key,
            state=outcome.state,
            message=outcome.message[:500],
            participant=outcome.participant,
            proposed_participant=outcome.proposed,
            participant_milestone=outcome.milestone,
        )
        for outcome in outcomes
    ]
    for start in range(0, len(rows), ROW_BATCH):
        ImportedRow.objects.bulk_create(rows[start : start + ROW_BATCH])
        if progress:
            progress(min(start + ROW_BATCH, len(rows)), len(rows))
    return rows


@transaction.atomic
def apply_import(
    notification_import: NotificationImport,
    *,
    applied_by: AbstractBaseUser,
    progress: Progress | None = None,
) -> NotificationImport:
    """Apply every Matched row of the file, or none: the rows are matched again (what is
    held may have changed since the preview) and stored with their states as applied.
    ``progress(done, total)`` is called as the rows are stored (a large file is applied
    by a job: ``reconciliation.tasks``)."""
    locked = NotificationImport.objects.select_for_update().get(pk=notification_import.pk)
    if locked.status == NotificationImport.Status.APPLIED:
        raise ImportRefused(f"{locked.file_name} has already been applied.")
    try:
        rows, _ = _parse(
            bytes(locked.content),
            file_name=locked.file_name,
            columns=locked.mapping_used,
            max_rows=None,
        )
    except FileRefused as refusal:  # the same bytes were read at the preview
        raise ImportRefused(str(refusal)) from refusal
    outcomes = match_rows(rows, locked.mapping)
    locked.rows.all().delete()
    stored = _store_rows(locked, outcomes, progress)
    _hold(list(zip(outcomes, stored, strict=True)), locked)
    locked.counts = _counts(outcomes)
    locked.status = NotificationImport.Status.APPLIED
    locked.applied_by = applied_by
    locked.applied_at = timezone.now()
    locked.save(update_fields=["counts", "status", "applied_by", "applied_at"])
    notification_import.refresh_from_db()
    return notification_import


def _hold(
    pairs: Sequence[tuple[Outcome, ImportedRow]], notification_import: NotificationImport
) -> None:
    """Write DWP's notifications against their milestones (for a milestone twice in one
    file, the last row that applies: the latest created), and remember PO numbers first
    seen on a NINO match, so that DWP's next file matches on them. A fixed number of
    queries however many rows apply."""
    latest = {outcome.milestone.pk: (outcome, row) for outcome, row in pairs if outcome.applies}
    held = {
        n.participant_milestone_id: n
        for n in DwpNotification.objects.filter(participant_milestone_id__in=list(latest))
    }
    created, updated = [], []
    for milestone_pk, (outcome, row) in latest.items():
        notification = held.get(milestone_pk) or DwpNotification(
            participant_milestone=outcome.milestone
        )
        notification.participant = outcome.participant
        notification.natural_key = outcome.natural_key
        notification.source_import = notification_import
        notification.source_row = row
        notification.updated_at = timezone.now()
        # A new notification from DWP is reconciled afresh.
        notification.reconciled_at = notification.reconciled_by = None
        for name, value in outcome.notification_values().items():
            setattr(notification, name, value)
        (updated if notification.pk else created).append(notification)
    DwpNotification.objects.bulk_create(created, batch_size=500)
    DwpNotification.objects.bulk_update(
        updated,
        [
            "participant",
            "natural_key",
            "source_import",
            "source_row",
            *HELD_FIELDS,
            "updated_at",
            "reconciled_at",
            "reconciled_by",
        ],
        batch_size=500,
    )
    _remember_po_numbers((outcome.participant, row.po_number) for outcome, row in latest.values())


def _remember_po_numbers(pairs) -> None:
    wanted: dict[str, Participant] = {}
    people: set[int] = set()
    for participant, po_number in pairs:
        if po_number and po_number not in wanted and participant.pk not in people:
            wanted[po_number] = participant
            people.add(participant.pk)
    if not wanted:
        return
    taken = set(
        PrapReference.objects.filter(
            Q(po_number__in=list(wanted)) | Q(participant__in=list(wanted.values()))
        ).values_list("po_number", "participant_id")
    )
    taken_numbers = {number for number, _ in taken}
    taken_people = {pk for _, pk in taken}
    PrapReference.objects.bulk_create(
        PrapReference(participant=participant, po_number=po_number)
        for po_number, participant in wanted.items()
        if po_number not in taken_numbers and participant.pk not in taken_people
    )


class ResolutionRefused(Exception):
    """The row cannot be linked or dismissed; the message says why."""


@transaction.atomic
def link_row(
    row: ImportedRow, *, participant: Participant, linked_by: AbstractBaseUser
) -> ImportedRow:
    """Match an unmatched row of an applied import to the participant a Supervisor chose,
    and apply it as a matched row would be; refused (nothing written) if it conflicts."""
    row = (
        ImportedRow.objects.select_for_update().select_related("notification_import").get(pk=row.pk)
    )
    notification_import = row.notification_import
    if notification_import.status != NotificationImport.Status.APPLIED:
        raise ResolutionRefused("Apply the file before resolving its rows.")
    if row.state != State.UNMATCHED or row.resolution:
        raise ResolutionRefused("This row has already been resolved.")
    parsed = _parsed_from(row)
    (outcome,) = match_rows([parsed], notification_import.mapping, participant=participant)
    if outcome.state not in (State.MATCHED_NEW, State.MATCHED_UPDATED, State.COMPLETE):
        raise ResolutionRefused(
            f"It cannot be linked to {participant.reference}: {outcome.message}"
        )
    row.state = outcome.state
    row.message = f"Linked to {participant.reference} by hand. {outcome.message}".strip()[:500]
    row.participant = participant
    row.participant_milestone = outcome.milestone
    row.natural_key = outcome.natural_key
    row.resolution = ImportedRow.Resolution.LINKED
    row.resolved_by = linked_by
    row.resolved_at = timezone.now()
    row.save()
    if outcome.applies:
        _hold([(outcome, row)], notification_import)
    else:
        _remember_po_numbers([(participant, row.po_number)])
    return row


def _parsed_from(row: ImportedRow) -> ParsedRow:
    fields = (
        "po_number", "nino", "surname", "date_of_birth", "programme_name",
        "notification_type", "date_created", "notification_date", "amount",
        "payment_status", "remittance_reference", "paid_date",
    )  # fmt: skip
    return ParsedRow(
        line=row.line, raw=row.raw, values={name: getattr(row, name) for name in fields}
    )


@transaction.atomic
def dismiss_row(row: ImportedRow, *, reason: str, dismissed_by: AbstractBaseUser) -> ImportedRow:
    """Close an unmatched or conflicting row of an applied file with the reason (it leaves
    its queue or worklist; nothing is recorded against a milestone)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ResolutionRefused("Give the reason for dismissing the row.")
    row = ImportedRow.objects.select_for_update().get(pk=row.pk)
    if row.state not in WAITING or row.resolution:
        raise ResolutionRefused("This row has already been resolved.")
    row.resolution = ImportedRow.Resolution.DISMISSED
    row.resolution_reason = reason[:500]
    row.resolved_by = dismissed_by
    row.resolved_at = timezone.now()
    row.save(update_fields=["resolution", "resolution_reason", "resolved_by", "resolved_at"])
    return row


class PaymentRefused(Exception):
    """The payment cannot be recorded so; the message says why."""


def _paid(notification: DwpNotification | None) -> bool:
    return notification is not None and (
        notification.amount is not None or notification.paid_date is not None
    )


@transaction.atomic
def mark_reconciled(
    notification: DwpNotification, *, reconciled_by: AbstractBaseUser
) -> DwpNotification:
    """DWP's payment has been matched to the provider's remittance."""
    notification = DwpNotification.objects.select_for_update().get(pk=notification.pk)
    if not _paid(notification):
        raise PaymentRefused("DWP's notification records no payment to reconcile.")
    if notification.reconciled_at:
        raise PaymentRefused("This payment has already been reconciled.")
    notification.reconciled_at = timezone.now()
    notification.reconciled_by = reconciled_by
    notification.save(update_fields=["reconciled_at", "reconciled_by"])
    return notification


@dataclass(frozen=True)
class Balance:
    """A milestone's payment net of its debits (``paid`` None: DWP gave no amount)."""

    paid: Decimal | None
    debited: Decimal

    @property
    def received(self) -> Decimal | None:
        return None if self.paid is None else self.paid - self.debited

    @property
    def fully_debited(self) -> bool:
        """DWP has taken back the whole payment."""
        return self.paid is not None and self.debited >= self.paid


def balance_of(milestone, notification: DwpNotification | None) -> Balance:
    debited = milestone.dwp_debits.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return Balance(paid=notification.amount if notification else None, debited=debited)


@transaction.atomic
def record_debit(*, milestone, recorded_by: AbstractBaseUser, **fields) -> Debit:
    """Record money DWP took back from the milestone's payment, with its reason; refused
    when the debits would come to more than DWP paid."""
    notification = (
        DwpNotification.objects.select_for_update().filter(participant_milestone=milestone).first()
    )
    if not _paid(notification):
        raise PaymentRefused(
            "DWP has recorded no payment for this milestone, so nothing can be debited."
        )
    balance = balance_of(milestone, notification)
    amount = fields.get("amount")
    if balance.paid is not None and amount is not None and balance.debited + amount > balance.paid:
        raise PaymentRefused(
            f"That would debit £{balance.debited + amount:,.2f} in all, more than the "
            f"£{balance.paid:,.2f} DWP paid."
        )
    debit = Debit(participant_milestone=milestone, recorded_by=recorded_by, **fields)
    debit.full_clean()
    debit.save()
    return debit

"""Writes of trackers and their evidence: create (with evidence), edit with a version
check, end a job, submit for review, add and delete evidence.

These write trackers only. A tracker change also moves the participant's milestones, so
pages call the gathering layer's ``milestones.services``, which call these and then
recalculate, in one transaction.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.versions import ChangedSinceLoaded
from participants.models import Participant
from trackers.evidence import CheckedFile, files_removed_on_failure, store_document
from trackers.models import EvidenceDocument, Tracker
from trackers.notifications import tell_assignee


class TrackerChanged(ChangedSinceLoaded):
    """The tracker was saved by someone else after this user loaded it."""


def create_tracker(
    *,
    participant: Participant,
    submission_token: uuid.UUID,
    documents: Sequence[CheckedFile] = (),
    document_kind: str = EvidenceDocument.Kind.OTHER,
    confirm_organisation: bool = False,
    created_by: AbstractBaseUser,
    **fields,
) -> tuple[Tracker, bool]:
    """Save a new tracker of the participant, with ``fields`` (its own field values), and
    its evidence documents, in one transaction.

    Returns ``(tracker, created)``. A second submission of the same form (same token)
    returns the first tracker and stores nothing. With ``confirm_organisation`` the
    employer is confirmed by ``created_by`` first. Created with evidence, it is submitted
    for review (In review); without, it is New. Its assignee is emailed once it is
    saved. Stored files are removed again if anything fails.
    """
    existing = Tracker.objects.filter(submission_token=submission_token).first()
    if existing:
        return existing, False
    _refuse_review_status(fields)
    tracker = Tracker(
        participant=participant,
        submission_token=submission_token,
        created_by=created_by,
        edited_by=created_by,
        **fields,
    )
    if documents:
        # With its evidence, a new tracker is ready for review at once.
        tracker.status, tracker.submitted_at = Tracker.Status.IN_REVIEW, timezone.now()
    tracker._history_user = created_by
    try:
        with files_removed_on_failure():
            if (
                confirm_organisation
                and tracker.organisation
                and not tracker.organisation.is_confirmed
            ):
                tracker.organisation.confirm(by=created_by)
            tracker.full_clean()
            tracker.save()
            add_evidence(
                tracker=tracker, uploads=documents, kind=document_kind, uploaded_by=created_by
            )
            if tracker.assignee and tracker.assignee != created_by:
                tell_assignee(tracker)
    except (IntegrityError, ValidationError):
        # Two submissions raced past the check above, and the other one won.
        existing = Tracker.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, False
    return tracker, True


@transaction.atomic
def update_tracker(
    *, tracker: Tracker, loaded_version: int, changed_by: AbstractBaseUser, **fields
) -> Tracker:
    """Save these field values to the version of the tracker the user loaded; raise
    TrackerChanged if someone else saved it since (their data is kept).

    The review status is not one of the fields: an Approved tracker whose dates, hours,
    pay or employer change goes back to In review (its approval rested on them). A new
    assignee is emailed once it is saved.
    """
    _refuse_review_status(fields)
    current = _locked(tracker, loaded_version)
    for name, value in fields.items():
        setattr(tracker, name, value)
    if current.status == Tracker.Status.APPROVED and any(
        getattr(tracker, name) != getattr(current, name) for name in Tracker.REVIEWED_FIELDS
    ):
        tracker.status, tracker.submitted_at = Tracker.Status.IN_REVIEW, timezone.now()
    tracker.edited_by = changed_by
    if tracker.assignee_id != current.assignee_id and tracker.assignee not in (None, changed_by):
        tell_assignee(tracker)
    return _save(tracker, current, by=changed_by)


@transaction.atomic
def submit_for_review(
    *, tracker: Tracker, loaded_version: int, submitted_by: AbstractBaseUser
) -> Tracker:
    """Send a New, Rejected or Info requested tracker (corrected) to review: In review.
    Earlier decisions are kept. Raises TrackerChanged as ``update_tracker`` does, and
    ValueError when the tracker is already in review or decided."""
    current = _locked(tracker, loaded_version)
    if current.status not in Tracker.SUBMITTABLE:
        raise ValueError(f"A tracker {current.get_status_display()} cannot be submitted.")
    tracker.status, tracker.submitted_at = Tracker.Status.IN_REVIEW, timezone.now()
    return _save(tracker, current, by=submitted_by)


def _refuse_review_status(fields: dict) -> None:
    if "status" in fields or "submitted_at" in fields:
        raise ValueError("The review status moves only through submission and review.")


def _locked(tracker: Tracker, loaded_version: int) -> Tracker:
    """The tracker as saved, locked until the transaction ends; TrackerChanged if it is
    no longer the version the user loaded."""
    current = Tracker.objects.select_for_update().get(pk=tracker.pk)
    if current.version != loaded_version:
        raise TrackerChanged(current)
    return current


def _save(tracker: Tracker, current: Tracker, *, by: AbstractBaseUser) -> Tracker:
    tracker.version = current.version + 1
    tracker._history_user = by
    tracker.full_clean()
    tracker.save()
    return tracker


@transaction.atomic
def end_tracker(
    *,
    tracker: Tracker,
    end_date: datetime.date,
    note: str,
    loaded_version: int,
    ended_by: AbstractBaseUser,
) -> Tracker:
    """Record the end of the job. Its review goes on: an ended job can still be reviewed
    and approved, and ending it does not undo an approval."""
    current = _locked(tracker, loaded_version)
    tracker.end_date, tracker.end_note = end_date, note
    tracker.edited_by = ended_by
    return _save(tracker, current, by=ended_by)


def add_evidence(
    *,
    tracker: Tracker,
    uploads: Sequence[CheckedFile],
    kind: str,
    uploaded_by: AbstractBaseUser,
) -> list[EvidenceDocument]:
    """Store each upload (already checked: see ``trackers.evidence.check_upload``) as an
    evidence document of the tracker: all of them or, if any fails (OSError from storage,
    say), none, with no stored file left behind."""
    with files_removed_on_failure():
        return [
            store_document(upload, tracker=tracker, kind=kind, uploaded_by=uploaded_by)
            for upload in uploads
        ]


@transaction.atomic
def delete_evidence(
    *, document: EvidenceDocument, deleted_by: AbstractBaseUser
) -> EvidenceDocument:
    """Mark the document deleted by this user, now; return it.

    Side effects: sets deleted_by and deleted_at (a history row records the change).
    The stored file is kept: the document may be evidence behind a claim already made,
    and a claim's evidence must still be producible at audit; removing files is a
    matter for the retention policy, not for the person deleting. A document already
    deleted (by someone else a moment ago) keeps its first deletion.
    """
    locked = EvidenceDocument.objects.select_for_update().get(pk=document.pk)
    if locked.deleted_at is None:
        locked.deleted_by = deleted_by
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_by", "deleted_at"])
    return locked

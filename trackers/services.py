"""Writes of trackers and their evidence: create (with evidence), edit with a version
check, end a job, add and delete evidence.

These write trackers only. A tracker change also moves the participant's milestones, so
pages call the gathering layer's ``milestones.services``, which call these and then
recalculate, in one transaction.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from participants.models import Participant
from trackers.evidence import files_removed_on_failure, store_document
from trackers.models import EvidenceDocument, Tracker


class TrackerChanged(Exception):
    """The tracker was saved by someone else after this user loaded it."""

    def __init__(self, current: Tracker):
        self.current = current
        super().__init__(f"Tracker {current.pk} is at version {current.version}.")


def create_tracker(
    *,
    participant: Participant,
    submission_token: uuid.UUID,
    documents: Sequence[UploadedFile] = (),
    document_kind: str = EvidenceDocument.Kind.OTHER,
    confirm_organisation: bool = False,
    created_by: AbstractBaseUser,
    **fields,
) -> tuple[Tracker, bool]:
    """Save a new tracker of the participant, with ``fields`` (its own field values), and
    its evidence documents, in one transaction.

    Returns ``(tracker, created)``. A second submission of the same form (same token)
    returns the first tracker and stores nothing. With ``confirm_organisation`` the
    employer is confirmed by ``created_by`` first. Stored files are removed again if
    anything fails.
    """
    existing = Tracker.objects.filter(submission_token=submission_token).first()
    if existing:
        return existing, False
    tracker = Tracker(
        participant=participant, submission_token=submission_token, created_by=created_by, **fields
    )
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
    TrackerChanged if someone else saved it since (their data is kept)."""
    current = Tracker.objects.select_for_update().get(pk=tracker.pk)
    if current.version != loaded_version:
        raise TrackerChanged(current)
    for name, value in fields.items():
        setattr(tracker, name, value)
    tracker.version = current.version + 1
    tracker._history_user = changed_by
    tracker.full_clean()
    tracker.save()
    return tracker


def end_tracker(
    *,
    tracker: Tracker,
    end_date: datetime.date,
    note: str,
    loaded_version: int,
    ended_by: AbstractBaseUser,
) -> Tracker:
    """Record the end of the job and close the tracker."""
    return update_tracker(
        tracker=tracker,
        loaded_version=loaded_version,
        changed_by=ended_by,
        end_date=end_date,
        end_note=note,
        status=Tracker.Status.CLOSED,
    )


def add_evidence(
    *,
    tracker: Tracker,
    uploads: Sequence[UploadedFile],
    kind: str,
    uploaded_by: AbstractBaseUser,
) -> list[EvidenceDocument]:
    """Store each upload as an evidence document of the tracker: all of them or, if any
    fails (OSError from storage, say), none, with no stored file left behind."""
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

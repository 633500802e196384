"""Writes of trackers: create (with evidence), edit with a version check, end a job."""

import datetime
import uuid

from django.db import IntegrityError, transaction

from trackers.evidence import files_removed_on_failure, store_documents
from trackers.models import EvidenceDocument, Tracker
from trackers.projections import recalculate_participant


class TrackerChanged(Exception):
    """The tracker was saved by someone else after this user loaded it."""

    def __init__(self, current: Tracker):
        self.current = current
        super().__init__(f"Tracker {current.pk} is at version {current.version}.")


def create_tracker(
    *,
    tracker: Tracker,
    submission_token: uuid.UUID,
    documents=(),
    document_kind: str = EvidenceDocument.Kind.OTHER,
    confirm_organisation: bool = False,
    created_by,
) -> tuple[Tracker, bool]:
    """Save a new tracker and its evidence documents in one transaction.

    Returns ``(tracker, created)``. A second submission of the same form (same token)
    returns the first tracker and stores nothing. With ``confirm_organisation`` the
    employer is confirmed by ``created_by`` first. The participant's milestones are
    recalculated. Stored files are removed again if anything fails.
    """
    existing = Tracker.objects.filter(submission_token=submission_token).first()
    if existing:
        return existing, False
    tracker.submission_token = submission_token
    tracker.created_by = tracker._history_user = created_by
    try:
        with files_removed_on_failure() as stored:
            if confirm_organisation and not tracker.organisation.is_confirmed:
                tracker.organisation.confirm(by=created_by)
            tracker.full_clean()
            tracker.save()
            store_documents(
                tracker=tracker,
                uploads=list(documents),
                kind=document_kind,
                uploaded_by=created_by,
                stored=stored,
            )
            recalculate_participant(tracker.participant)
    except IntegrityError:
        # Two submissions raced past the check above: the other one won.
        existing = Tracker.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, False
    return tracker, True


@transaction.atomic
def update_tracker(*, tracker: Tracker, loaded_version: int, changed_by) -> Tracker:
    """Save edits made to the version the user loaded and recalculate the participant's
    milestones; raise TrackerChanged if someone else saved since (their data is kept)."""
    current = Tracker.objects.select_for_update().get(pk=tracker.pk)
    if current.version != loaded_version:
        raise TrackerChanged(current)
    tracker.version = current.version + 1
    tracker._history_user = changed_by
    tracker.full_clean()
    tracker.save()
    recalculate_participant(tracker.participant)
    return tracker


@transaction.atomic
def end_tracker(
    *, tracker: Tracker, end_date: datetime.date, note: str, loaded_version: int, ended_by
) -> Tracker:
    """Record the end of the job and close the tracker."""
    tracker.end_date = end_date
    tracker.end_note = note
    tracker.status = Tracker.Status.CLOSED
    return update_tracker(tracker=tracker, loaded_version=loaded_version, changed_by=ended_by)


def overlapping_jobs(tracker: Tracker) -> list[Tracker]:
    """The participant's other jobs with the same employer whose dates overlap this one."""
    if tracker.organisation_id is None:
        return []
    others = tracker.participant.trackers.filter(
        organisation_id=tracker.organisation_id, type=Tracker.Type.JOB
    ).exclude(pk=tracker.pk)
    if tracker.end_date:
        others = others.filter(start_date__lte=tracker.end_date)
    return [
        other for other in others if other.end_date is None or other.end_date >= tracker.start_date
    ]

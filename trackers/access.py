"""Fetching trackers and documents through their participant, so team scoping holds."""

from django.contrib.auth.models import AbstractBaseUser
from django.shortcuts import get_object_or_404

from participants.access import get_participant_for
from trackers.models import EvidenceDocument, Tracker


def get_tracker_for(user: AbstractBaseUser, participant_pk: int, pk: int) -> Tracker:
    """The participant's tracker, or 404 when either is outside the user's teams."""
    participant = get_participant_for(user, participant_pk)
    tracker = get_object_or_404(
        participant.trackers.select_related("organisation", "assignee", "created_by"), pk=pk
    )
    tracker.participant = participant
    return tracker


def get_document_for(
    user: AbstractBaseUser, participant_pk: int, tracker_pk: int, pk: int
) -> EvidenceDocument:
    """A current (not deleted) document of the tracker, or 404."""
    tracker = get_tracker_for(user, participant_pk, tracker_pk)
    document = get_object_or_404(tracker.documents.current(), pk=pk)
    document.tracker = tracker
    return document

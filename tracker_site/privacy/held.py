"""Every row held on one participant, in every model: the one list that the
subject-access export reads and the retention purge deletes.

``tests/tracker_site/test_privacy_held.py`` walks every installed model and fails when one
with a foreign-key path to Participant (or the history of one) is missing here.
"""

from django.db.models import Model, Q, QuerySet

from milestones.models import ClaimAttempt, ParticipantMilestone
from participants.models import AccessLogEntry, Participant
from reconciliation.models import Debit, DwpNotification, ImportedRow, PrapReference
from reviews.models import Decision, QaSampleItem
from trackers.models import EvidenceDocument, Tracker


def held_on(participant: Participant) -> dict[type[Model], QuerySet]:
    """Each model's rows for the participant, in an order that deletes cleanly: the live
    rows that point at others first, then their history copies (deleting a live row adds
    one more history row, which the history querysets, read afterwards, still catch)."""
    pk = participant.pk
    # Through the history, so that trackers and documents deleted since are held too.
    tracker_ids = _ids(Tracker.history.filter(participant_id=pk)) | _ids(
        Tracker.objects.filter(participant_id=pk)
    )
    document_ids = _ids(EvidenceDocument.history.filter(tracker_id__in=tracker_ids)) | _ids(
        EvidenceDocument.objects.filter(tracker_id__in=tracker_ids)
    )
    milestone_ids = _ids(ParticipantMilestone.history.filter(participant_id=pk)) | _ids(
        ParticipantMilestone.objects.filter(participant_id=pk)
    )
    return {
        # DWP's notifications first: they point at the rows they came from.
        DwpNotification: DwpNotification.objects.filter(participant_id=pk),
        Debit: Debit.objects.filter(participant_milestone__participant_id=pk),
        # The rows of DWP files matched to them, or proposing them and matched to no one.
        ImportedRow: ImportedRow.objects.filter(
            Q(participant_id=pk) | Q(proposed_participant_id=pk, participant__isnull=True)
        ),
        PrapReference: PrapReference.objects.filter(participant_id=pk),
        Decision: Decision.objects.filter(tracker_id__in=tracker_ids),
        QaSampleItem: QaSampleItem.objects.filter(tracker_id__in=tracker_ids),
        EvidenceDocument: EvidenceDocument.objects.filter(pk__in=document_ids),
        Tracker: Tracker.objects.filter(pk__in=tracker_ids),
        # The claims submitted in PRaP for their milestones, before the milestones.
        ClaimAttempt: ClaimAttempt.objects.filter(milestone_id__in=milestone_ids),
        ParticipantMilestone: ParticipantMilestone.objects.filter(participant_id=pk),
        AccessLogEntry: AccessLogEntry.objects.filter(participant_id=pk),
        Participant: Participant.objects.filter(pk=pk),
        EvidenceDocument.history.model: EvidenceDocument.history.filter(id__in=document_ids),
        Tracker.history.model: Tracker.history.filter(id__in=tracker_ids),
        ClaimAttempt.history.model: ClaimAttempt.history.filter(milestone_id__in=milestone_ids),
        ParticipantMilestone.history.model: ParticipantMilestone.history.filter(participant_id=pk),
        Participant.history.model: Participant.history.filter(id=pk),
    }


def _ids(queryset: QuerySet) -> set[int]:
    return set(queryset.values_list("id", flat=True))

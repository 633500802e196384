"""Storage limitation (UK GDPR Art. 5(1)(e)): which participants' records have passed
their retention, and removing everything held on them.

DWP's rule for supporting records is 24 months after live interest ends. Live interest
in a participant ends at the latest of: the close of their outcome window (programme
start plus the programme's outcome window), the last change to their record or to any of
their trackers, and the last payment of a milestone; it does not end while a claim is
Claimed or On hold (the funder may still ask for the evidence). The months are
``settings.PARTICIPANT_RETENTION_MONTHS`` (24 unless set).

An uploaded referral file is ephemeral (DWP: 4 weeks): it is kept for
``settings.PARTICIPANT_IMPORT_RETENTION_DAYS`` (28 unless set) after its upload.
"""

import datetime
import logging
import operator
from collections import Counter
from functools import reduce

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from milestones.models import ParticipantMilestone
from participants.models import Participant, ParticipantImport
from programmes.models import Programme
from tracker_site.privacy.held import held_on
from trackers.models import EvidenceDocument

logger = logging.getLogger(__name__)

ClaimStatus = ParticipantMilestone.ClaimStatus
OPEN_CLAIMS = [ClaimStatus.CLAIMED, ClaimStatus.ON_HOLD]


def retention_cutoff(today: datetime.date) -> datetime.date:
    """Live interest that ended before this day has passed its retention."""
    return today - relativedelta(months=settings.PARTICIPANT_RETENTION_MONTHS)


def expired_participants(*, today: datetime.date) -> QuerySet[Participant]:
    """The participants in whom live interest ended before the retention cutoff."""
    cutoff = retention_cutoff(today)
    cutoff_at = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    # One condition per programme: each has its own outcome window.
    window_closed = [
        Q(programme=programme, programme_start_date__lt=cutoff - datetime.timedelta(days=days))
        for programme, days in Programme.objects.values_list("pk", "outcome_window_days")
    ]
    if not window_closed:
        return Participant.objects.none()
    return (
        Participant.objects.filter(reduce(operator.or_, window_closed), updated_at__lt=cutoff_at)
        .exclude(trackers__updated_at__gte=cutoff_at)
        .exclude(milestones__paid_date__gte=cutoff)
        .exclude(milestones__claim_status__in=OPEN_CLAIMS)
        .order_by("pk")
    )


def count_held(participant: Participant) -> Counter[type[Model]]:
    """How many rows of each model are held on the participant."""
    return Counter({model: rows.count() for model, rows in held_on(participant).items()})


@transaction.atomic
def purge_participant(*, participant: Participant) -> Counter[type[Model]]:
    """Delete every row held on the participant (history and access log included), and
    once that has committed, their stored evidence files; returns the rows deleted of
    held before it (as ``count_held``). Nothing is deleted unless everything is."""
    held = held_on(participant)
    counted = count_held(participant)
    files = set(held[EvidenceDocument].values_list("file", flat=True)) | set(
        held[EvidenceDocument.history.model].values_list("file", flat=True)
    )
    # In held_on's order: live rows, then every history row, the ones these deletes add
    # included (the history querysets are read after them).
    for rows in held.values():
        rows.delete()
    transaction.on_commit(lambda: _delete_files(sorted(name for name in files if name)))
    return counted


def _delete_files(names: list[str]) -> None:
    """Delete the stored files (the folder's or the bucket's). One the store will not
    delete now is logged by its name (random, never personal data) for removing by hand,
    and the purge goes on: its rows are already gone, so stopping would help nothing."""
    storage = EvidenceDocument._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Retention purge could not delete the stored file %s", name)


def expired_imports(*, today: datetime.date) -> QuerySet[ParticipantImport]:
    """Uploaded referral files older than their retention."""
    cutoff = today - datetime.timedelta(days=settings.PARTICIPANT_IMPORT_RETENTION_DAYS)
    cutoff_at = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return ParticipantImport.objects.filter(uploaded_at__lt=cutoff_at)

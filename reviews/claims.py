"""Ready to claim: the milestones compliance has Verified and nobody has claimed yet, the
CSV exports of them that go to the funder (each kept exactly as it was sent) and
marking them Claimed. The Ready to claim pages read and write only through these."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.spreadsheets import csv_lines
from milestones.claim_rules import SELF_EMPLOYED_CLAIM_ATTEMPTS
from milestones.models import ClaimAttempt, ParticipantMilestone
from milestones.services import record_claim
from participants.access import of_participants_for, sees_every_team
from reviews.models import ClaimExport

ClaimStatus = ParticipantMilestone.ClaimStatus

CSV_COLUMNS = [
    "Participant reference", "Participant", "NINO", "Programme", "Team", "Milestone",
    "Amount (£)", "Projected date", "Status", "Claim status",
]  # fmt: skip


def ready_to_claim(user: AbstractBaseUser) -> QuerySet[ParticipantMilestone]:
    """The Verified milestones of the user's teams that wait for a claim, soonest first:
    those Not claimed, and self-employed outcomes whose claim PRaP failed while attempts
    are left (claimed again on their claim page)."""
    used = (
        ClaimAttempt.objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(count=Count("pk"))
        .values("count")
    )
    resubmittable = Q(
        kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT,
        claim_status=ClaimStatus.REJECTED,
        attempts_used__lt=SELF_EMPLOYED_CLAIM_ATTEMPTS,
    )
    return (
        ParticipantMilestone.objects.filter(
            of_participants_for(user), status=ParticipantMilestone.Status.VERIFIED
        )
        .annotate(attempts_used=Coalesce(Subquery(used), 0))
        .filter(Q(claim_status=ClaimStatus.NOT_CLAIMED) | resubmittable)
        .for_list()
    )


def participants_in(export: ClaimExport) -> set[int]:
    """The ids of the participants whose milestones are rows of the export (those that
    still exist)."""
    milestones = ParticipantMilestone.objects.filter(pk__in=export.milestone_ids)
    return set(milestones.values_list("participant_id", flat=True))


def claim_exports_for(user: AbstractBaseUser) -> QuerySet[ClaimExport]:
    """The exports the user may download again: every export for those who see every
    team; otherwise only their own, whose rows were all in their teams when made."""
    if sees_every_team(user):
        return ClaimExport.objects.all()
    return ClaimExport.objects.filter(created_by=user)


@transaction.atomic
def export_ready_to_claim(
    *,
    milestones: QuerySet[ParticipantMilestone],
    filters: dict,
    exported_by: AbstractBaseUser,
) -> ClaimExport:
    """Record a CSV of those milestones that are still ready to claim, with the filters
    that chose them (plain JSON), and return it; the stored text is what is sent."""
    rows = list(milestones.ready_to_claim().for_list())
    export = ClaimExport(
        created_by=exported_by,
        filters=filters,
        milestone_ids=[milestone.pk for milestone in rows],
        row_count=len(rows),
        content="".join(csv_lines(CSV_COLUMNS, (_csv_row(milestone) for milestone in rows))),
    )
    export.full_clean()
    export.save()
    return export


def _csv_row(milestone: ParticipantMilestone) -> list:
    participant = milestone.participant
    return [
        participant.reference,
        participant.full_name,
        participant.nino_display,
        participant.programme.name,
        participant.team.name,
        milestone.name,
        "" if milestone.amount is None else milestone.amount,
        milestone.projected_date.isoformat() if milestone.projected_date else "",
        milestone.get_status_display(),
        milestone.get_claim_status_display(),
    ]


@transaction.atomic
def mark_claimed(
    *, milestones: QuerySet[ParticipantMilestone], claimed_by: AbstractBaseUser
) -> int:
    """Mark Claimed those of the milestones still Verified and Not claimed (each one's
    history records who); the rest are left as they are, self-employed outcomes among them
    (claimed in PRaP, each attempt recorded on its claim page). Returns how many were
    marked."""
    # Locked, so that two people marking the same rows at once claim each only once.
    ready = (
        milestones.ready_to_claim()
        .exclude(kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT)
        .select_related(None)
        .select_for_update()
        .order_by("pk")
    )
    count = 0
    for milestone in ready:
        record_claim(
            milestone=milestone,
            claim_status=ClaimStatus.CLAIMED,
            paid_date=milestone.paid_date,
            payment_reference=milestone.payment_reference,
            recorded_by=claimed_by,
        )
        count += 1
    return count

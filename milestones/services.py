"""Writes that move participants' milestones: each makes the lower layer's write and
recalculates the milestones it moves, in one transaction, so that every page shows the
new projection as soon as the save is done. Also the claims of milestones: their claim
status and payment, and a self-employed outcome's claims in PRaP.

Views call these, never the lower services directly, for any change to a tracker, to a
participant's programme, team or programme start, or to a programme's milestones. They
keep the forecast's counts in step too (``milestones.forecast_days``).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

import participants.services
import programmes.services
import trackers.services
from jobs.models import Job
from jobs.services import start_job
from milestones import claim_rules, forecast_days
from milestones.models import ClaimAttempt, ParticipantMilestone
from milestones.recalculation import recalculate, recalculate_participant
from milestones.tasks import recalculate_programme
from participants.models import Participant
from programmes.models import Programme
from trackers.evidence import files_removed_on_failure
from trackers.models import Tracker

# Beyond this many participants a recalculation would outlast a web request (two or three
# rows each, written at 4,000 to 7,000 rows a second on PostgreSQL depending on the
# machine's load); a background job does it instead (milestones.tasks).
RECALCULATE_IN_REQUEST = 5_000

# A participant's milestones count from the programme start, within its window.
PROJECTED_FROM = ("programme_id", "programme_start_date")
# The forecast counts them under these.
COUNTED_UNDER = ("programme_id", "team_id")


def create_tracker(**arguments) -> tuple[Tracker, bool]:
    """``trackers.services.create_tracker`` (same arguments), then the participant's
    milestones are recalculated; all or nothing, and no stored file is left behind."""
    with files_removed_on_failure():
        tracker, created = trackers.services.create_tracker(**arguments)
        if created:
            recalculate_participant(tracker.participant)
    return tracker, created


@transaction.atomic
def update_tracker(**arguments) -> Tracker:
    """``trackers.services.update_tracker`` (same arguments), then the participant's
    milestones are recalculated."""
    tracker = trackers.services.update_tracker(**arguments)
    recalculate_participant(tracker.participant)
    return tracker


@transaction.atomic
def end_tracker(**arguments) -> Tracker:
    """``trackers.services.end_tracker`` (same arguments), then the participant's
    milestones are recalculated."""
    tracker = trackers.services.end_tracker(**arguments)
    recalculate_participant(tracker.participant)
    return tracker


@transaction.atomic
def update_participant(
    *, participant: Participant, loaded_version: int | None, **fields
) -> Participant:
    """``participants.services.update_participant``; when the programme or its start date
    changed, the participant's milestones are recalculated, and when the programme or
    team changed, the forecast counts them under the new ones."""
    projected, counted = _values_of(participant.pk, PROJECTED_FROM, COUNTED_UNDER)
    participant = participants.services.update_participant(
        participant=participant, loaded_version=loaded_version, **fields
    )
    forecast_days.move(
        participant.pk, old=counted, new=tuple(getattr(participant, f) for f in COUNTED_UNDER)
    )
    if tuple(getattr(participant, name) for name in PROJECTED_FROM) != projected:
        recalculate_participant(participant)
    return participant


def _values_of(pk: int, *groups: tuple[str, ...]) -> list[tuple]:
    """The participant's stored values of each group of fields, in one query."""
    names = [name for group in groups for name in group]
    row = dict(zip(names, Participant.objects.values_list(*names).get(pk=pk), strict=True))
    return [tuple(row[name] for name in group) for group in groups]


@dataclass(frozen=True)
class ProgrammeSaved:
    programme: Programme
    participants: int
    recalculated: bool
    # The job recalculating them when there were too many for the request.
    job: Job | None = None


@transaction.atomic
def save_programme(*, saved_by: AbstractBaseUser, **arguments) -> ProgrammeSaved:
    """``programmes.services.save_programme`` (same arguments), then every participant on
    the programme is recalculated, unless there are more than RECALCULATE_IN_REQUEST:
    then a job does it, started by ``saved_by`` (``recalculated`` says which). The rows of
    the milestones the save drops leave the forecast before they go with them."""
    if arguments["programme"] is not None:
        kept = [entry.pk for entry in arguments["milestones"] if entry.pk]
        forecast_days.uncount(
            ParticipantMilestone.objects.filter(
                financial_milestone__programme=arguments["programme"]
            ).exclude(financial_milestone__in=kept)
        )
    programme = programmes.services.save_programme(**arguments)
    on_programme = Participant.objects.filter(programme=programme)
    count = on_programme.count()
    if count <= RECALCULATE_IN_REQUEST:
        recalculate(on_programme)
        return ProgrammeSaved(programme=programme, participants=count, recalculated=True)
    job = start_recalculation(programme=programme, started_by=saved_by)
    return ProgrammeSaved(programme=programme, participants=count, recalculated=False, job=job)


def start_recalculation(*, programme: Programme, started_by: AbstractBaseUser) -> Job:
    """A job that recalculates every participant on the programme, with progress."""
    return start_job(
        task=recalculate_programme,
        kind="programme_recalculation",
        title=f"Recalculating {programme}"[:200],
        started_by=started_by,
        parameters={"programme": programme.pk},
    )


@transaction.atomic
def record_claim(
    *,
    milestone: ParticipantMilestone,
    claim_status: str,
    paid_date: datetime.date | None,
    payment_reference: str,
    recorded_by: AbstractBaseUser,
) -> ParticipantMilestone:
    """Record the claim and payment of a milestone (its history keeps who, when)."""
    milestone.claim_status = claim_status
    milestone.paid_date = paid_date
    milestone.payment_reference = payment_reference
    milestone._history_user = recorded_by
    milestone.full_clean()
    milestone.save(update_fields=["claim_status", "paid_date", "payment_reference"])
    return milestone


class ClaimRefused(Exception):
    """The PRaP claim cannot be recorded; the message says why, for the member of staff."""


@transaction.atomic
def submit_claim(
    *,
    milestone: ParticipantMilestone,
    submitted_on: datetime.date,
    recorded_by: AbstractBaseUser,
) -> ClaimAttempt:
    """Record that a self-employed outcome's claim was submitted in PRaP on
    ``submitted_on``: a Pending attempt (the milestone's history is untouched until PRaP
    answers). Refused (ClaimRefused, nothing written) as ``claim_rules.submission_refusal``
    says: not a self-employed outcome, not Verified, already accepted, one still pending,
    no attempts left, or outside the 90 days after achievement."""
    # Locked, so that two people recording at once cannot both use the last attempt.
    current = ParticipantMilestone.objects.select_for_update().get(pk=milestone.pk)
    outcomes = list(current.claim_attempts.values_list("outcome", flat=True))
    refused = claim_rules.submission_refusal(
        claim_rules.Claimable(
            self_employment=current.kind == ParticipantMilestone.Kind.SELF_EMPLOYMENT,
            verified=current.status == ParticipantMilestone.Status.VERIFIED,
            achieved_on=current.achieved_on,
            outcomes=outcomes,
        ),
        submitted_on=submitted_on,
    )
    if refused:
        raise ClaimRefused(refused)
    attempt = ClaimAttempt(milestone=current, submitted_on=submitted_on, recorded_by=recorded_by)
    attempt._history_user = recorded_by
    attempt.full_clean()
    attempt.save()
    return attempt


# The claim status each outcome from PRaP gives the milestone.
CLAIM_STATUS = {
    ClaimAttempt.Outcome.ACCEPTED: ParticipantMilestone.ClaimStatus.CLAIMED,
    ClaimAttempt.Outcome.FAILED: ParticipantMilestone.ClaimStatus.REJECTED,
}


@transaction.atomic
def record_claim_outcome(
    *,
    attempt: ClaimAttempt,
    outcome: str,
    failure_reason: str = "",
    recorded_on: datetime.date,
    recorded_by: AbstractBaseUser,
) -> ClaimAttempt:
    """Record what PRaP made of a pending claim: Accepted makes the milestone Claimed;
    Failed (with PRaP's reason) makes it Rejected, and another claim may be submitted
    while attempts are left. Both are kept in the attempt's and the milestone's history.
    Refused (ClaimRefused) when the attempt's outcome is already recorded or
    ``recorded_on`` is before its submission."""
    current = (
        ClaimAttempt.objects.select_for_update().select_related("milestone").get(pk=attempt.pk)
    )
    if current.outcome != ClaimAttempt.Outcome.PENDING:
        raise ClaimRefused(
            f"PRaP's answer to this claim was already recorded: {current.get_outcome_display()}."
        )
    if recorded_on < current.submitted_on:
        raise ClaimRefused(
            "PRaP cannot have answered before the claim was submitted, on "
            f"{current.submitted_on.day} {current.submitted_on:%B %Y}."
        )
    current.outcome = outcome
    current.failure_reason = failure_reason if outcome == ClaimAttempt.Outcome.FAILED else ""
    current.outcome_recorded_on = recorded_on
    current._history_user = recorded_by
    current.full_clean()
    current.save(update_fields=["outcome", "failure_reason", "outcome_recorded_on"])
    milestone = current.milestone
    milestone.claim_status = CLAIM_STATUS[outcome]
    milestone._history_user = recorded_by
    milestone.full_clean()
    milestone.save(update_fields=["claim_status"])
    return current

"""Recording a self-employed outcome's claims in PRaP (milestones.services.submit_claim and
record_claim_outcome)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from milestones.models import ClaimAttempt, ParticipantMilestone
from milestones.recalculation import recalculate_participant
from milestones.services import ClaimRefused, record_claim_outcome, submit_claim
from tests.factories import (
    ClaimAttemptFactory,
    ParticipantMilestoneFactory,
    SelfEmploymentMilestoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Outcome = ClaimAttempt.Outcome
ClaimStatus = ParticipantMilestone.ClaimStatus


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_submit_claim_records_a_pending_attempt_with_its_author():
    milestone = SelfEmploymentMilestoneFactory()
    user = UserFactory()

    attempt = submit_claim(milestone=milestone, submitted_on=days(-2), recorded_by=user)

    assert list(milestone.claim_attempts.values_list("submitted_on", "outcome", "recorded_by")) == [
        (days(-2), Outcome.PENDING, user.pk)
    ]
    assert attempt.history.get().history_user == user
    milestone.refresh_from_db()
    assert milestone.claim_status == ClaimStatus.NOT_CLAIMED


@pytest.mark.parametrize(
    ("milestone", "message"),
    [
        (
            lambda: ParticipantMilestoneFactory(
                status=ParticipantMilestone.Status.VERIFIED, projected_date=days(-10)
            ),
            "Only a self-employed outcome is claimed in PRaP: DWP pays employed outcomes from "
            "HMRC's earnings data, without a claim.",
        ),
        (
            lambda: SelfEmploymentMilestoneFactory(status=ParticipantMilestone.Status.ACHIEVED),
            "The outcome must be Verified by compliance before it is claimed.",
        ),
        (
            lambda: ClaimAttemptFactory(submitted_on=days(-5)).milestone,
            "The last claim is still pending: record what PRaP made of it first.",
        ),
        (
            lambda: (
                ClaimAttemptFactory(
                    outcome=Outcome.ACCEPTED, outcome_recorded_on=days(-3)
                ).milestone
            ),
            "PRaP has already accepted a claim for this outcome.",
        ),
    ],
    ids=["employed", "not-verified", "pending", "accepted"],
)
def test_submit_claim_refuses(milestone, message):
    milestone = milestone()
    before = ClaimAttempt.objects.count()

    with pytest.raises(ClaimRefused) as refused:
        submit_claim(milestone=milestone, submitted_on=days(-1), recorded_by=UserFactory())

    assert str(refused.value) == message
    assert ClaimAttempt.objects.count() == before


def test_submit_claim_after_three_attempts_is_refused():
    milestone = SelfEmploymentMilestoneFactory()
    for _ in range(3):
        ClaimAttemptFactory(
            milestone=milestone,
            outcome=Outcome.FAILED,
            failure_reason="Evidence not sufficient",
            outcome_recorded_on=days(-1),
        )

    with pytest.raises(ClaimRefused) as refused:
        submit_claim(milestone=milestone, submitted_on=days(-1), recorded_by=UserFactory())

    assert str(refused.value) == (
        "All 3 attempts have been used, so no further claim can be submitted."
    )
    assert milestone.claim_attempts.count() == 3


def test_submit_claim_past_the_deadline_is_refused():
    achieved = days(-100)
    milestone = SelfEmploymentMilestoneFactory(projected_date=achieved)
    deadline = achieved + datetime.timedelta(days=90)

    with pytest.raises(ClaimRefused) as refused:
        submit_claim(milestone=milestone, submitted_on=days(-9), recorded_by=UserFactory())
    on_time = submit_claim(milestone=milestone, submitted_on=deadline, recorded_by=UserFactory())

    assert str(refused.value) == (
        f"The claim had to be submitted by {deadline.day} {deadline:%B %Y}, 90 days after the "
        "outcome was achieved."
    )
    assert list(milestone.claim_attempts.all()) == [on_time]


def test_record_claim_outcome_accepted_marks_the_milestone_claimed():
    attempt = ClaimAttemptFactory(submitted_on=days(-5))
    user = UserFactory()

    record_claim_outcome(
        attempt=attempt, outcome=Outcome.ACCEPTED, recorded_on=days(-1), recorded_by=user
    )

    attempt.refresh_from_db()
    milestone = attempt.milestone
    milestone.refresh_from_db()
    assert (attempt.outcome, attempt.failure_reason, attempt.outcome_recorded_on) == (
        Outcome.ACCEPTED,
        "",
        days(-1),
    )
    assert milestone.claim_status == ClaimStatus.CLAIMED
    assert (milestone.history.first().history_user, attempt.history.first().history_user) == (
        user,
        user,
    )


def test_record_claim_outcome_failed_marks_rejected_and_leaves_two_attempts():
    attempt = ClaimAttemptFactory(submitted_on=days(-5))

    record_claim_outcome(
        attempt=attempt,
        outcome=Outcome.FAILED,
        failure_reason="No trading records for weeks 10 to 14",
        recorded_on=days(-1),
        recorded_by=UserFactory(),
    )
    again = submit_claim(
        milestone=attempt.milestone, submitted_on=days(0), recorded_by=UserFactory()
    )

    attempt.refresh_from_db()
    attempt.milestone.refresh_from_db()
    assert (attempt.outcome, attempt.failure_reason) == (
        Outcome.FAILED,
        "No trading records for weeks 10 to 14",
    )
    assert attempt.milestone.claim_status == ClaimStatus.REJECTED
    assert list(attempt.milestone.claim_attempts.values_list("outcome", flat=True)) == [
        Outcome.FAILED,
        Outcome.PENDING,
    ]
    assert again.outcome == Outcome.PENDING


def test_record_claim_outcome_failed_needs_a_reason():
    attempt = ClaimAttemptFactory(submitted_on=days(-5))

    with pytest.raises(ValidationError) as refused:
        record_claim_outcome(
            attempt=attempt,
            outcome=Outcome.FAILED,
            failure_reason=" ",
            recorded_on=days(-1),
            recorded_by=UserFactory(),
        )

    attempt.refresh_from_db()
    attempt.milestone.refresh_from_db()
    assert refused.value.message_dict == {"failure_reason": ["Enter the reason PRaP gave."]}
    assert (attempt.outcome, attempt.milestone.claim_status) == (
        Outcome.PENDING,
        ClaimStatus.NOT_CLAIMED,
    )


def test_record_claim_outcome_twice_is_refused():
    attempt = ClaimAttemptFactory(
        submitted_on=days(-5), outcome=Outcome.ACCEPTED, outcome_recorded_on=days(-2)
    )

    with pytest.raises(ClaimRefused) as refused:
        record_claim_outcome(
            attempt=attempt,
            outcome=Outcome.FAILED,
            failure_reason="Duplicate",
            recorded_on=days(-1),
            recorded_by=UserFactory(),
        )

    attempt.refresh_from_db()
    assert str(refused.value) == "PRaP's answer to this claim was already recorded: Accepted."
    assert attempt.outcome == Outcome.ACCEPTED


def test_record_claim_outcome_before_the_submission_is_refused():
    attempt = ClaimAttemptFactory(submitted_on=datetime.date(2026, 3, 10))

    with pytest.raises(ClaimRefused) as refused:
        record_claim_outcome(
            attempt=attempt,
            outcome=Outcome.ACCEPTED,
            recorded_on=datetime.date(2026, 3, 9),
            recorded_by=UserFactory(),
        )

    attempt.refresh_from_db()
    assert str(refused.value) == (
        "PRaP cannot have answered before the claim was submitted, on 10 March 2026."
    )
    assert attempt.outcome == Outcome.PENDING


def test_recalculation_deleting_a_self_employment_milestone_deletes_its_attempts_with_history(
    participant,
):
    """A participant with no self-employment left loses the milestone; what was claimed
    stays in the attempts' history."""
    milestone = SelfEmploymentMilestoneFactory(participant=participant)
    attempt = ClaimAttemptFactory(milestone=milestone)

    recalculate_participant(participant)

    assert not ParticipantMilestone.objects.filter(pk=milestone.pk).exists()
    assert list(
        ClaimAttempt.history.filter(id=attempt.pk).values_list("history_type", flat=True)
    ) == [
        "-",
        "+",
    ]

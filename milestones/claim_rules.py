"""The self-employed outcome claim: the provider claims it in DWP's PRaP within
SELF_EMPLOYED_CLAIM_WINDOW_DAYS of achieving it (WHP Chapter 13 and its memo 64, which
Restart's PRaP follows), and a claim that fails may be submitted again while attempts
are left (WHP memo 47), at most SELF_EMPLOYED_CLAIM_ATTEMPTS in all.

Pure calculation, no Django (as ``programmes.projection``): dates in, answers out,
``today`` passed in. ``milestones.services`` refuses a submission with
``submission_refusal``; the Ready to claim list and the claim page show ``claim_window``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

SELF_EMPLOYED_CLAIM_WINDOW_DAYS = 90
SELF_EMPLOYED_CLAIM_ATTEMPTS = 3


class Outcome(StrEnum):
    """What PRaP made of one submitted claim (the values ``ClaimAttempt`` stores)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    FAILED = "failed"


@dataclass(frozen=True)
class ClaimWindow:
    """When a self-employed outcome achieved on ``achieved_on`` must be claimed by."""

    achieved_on: date
    deadline: date
    # Negative once the deadline has passed; 0 on the deadline itself.
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def claim_deadline(achieved_on: date) -> date:
    """The last day on which the claim may be submitted: achievement + 90 days."""
    return achieved_on + timedelta(days=SELF_EMPLOYED_CLAIM_WINDOW_DAYS)


def claim_window(*, achieved_on: date, today: date) -> ClaimWindow:
    deadline = claim_deadline(achieved_on)
    return ClaimWindow(
        achieved_on=achieved_on, deadline=deadline, days_left=(deadline - today).days
    )


def attempts_left(outcomes: Sequence[str]) -> int:
    """How many more claims may be submitted after attempts with these outcomes (every
    attempt counts, whatever PRaP made of it)."""
    return max(SELF_EMPLOYED_CLAIM_ATTEMPTS - len(outcomes), 0)


@dataclass(frozen=True)
class Claimable:
    """What a submission depends on: the milestone and the outcomes of its attempts so
    far, oldest first. ``achieved_on`` is None while the outcome is not achieved."""

    self_employment: bool
    verified: bool
    achieved_on: date | None
    outcomes: Sequence[str] = ()


def submission_refusal(claimable: Claimable, *, submitted_on: date) -> str | None:
    """Why a claim submitted in PRaP on ``submitted_on`` cannot be recorded, for the
    member of staff; None when it can."""
    if not claimable.self_employment:
        return (
            "Only a self-employed outcome is claimed in PRaP: DWP pays employed outcomes "
            "from HMRC's earnings data, without a claim."
        )
    if not claimable.verified or claimable.achieved_on is None:
        return "The outcome must be Verified by compliance before it is claimed."
    if Outcome.ACCEPTED in claimable.outcomes:
        return "PRaP has already accepted a claim for this outcome."
    if Outcome.PENDING in claimable.outcomes:
        return "The last claim is still pending: record what PRaP made of it first."
    if attempts_left(claimable.outcomes) == 0:
        return (
            f"All {SELF_EMPLOYED_CLAIM_ATTEMPTS} attempts have been used, so no further "
            "claim can be submitted."
        )
    if submitted_on < claimable.achieved_on:
        return (
            "The claim cannot have been submitted before the outcome was achieved, on "
            f"{_long(claimable.achieved_on)}."
        )
    deadline = claim_deadline(claimable.achieved_on)
    if submitted_on > deadline:
        return (
            f"The claim had to be submitted by {_long(deadline)}, "
            f"{SELF_EMPLOYED_CLAIM_WINDOW_DAYS} days after the outcome was achieved."
        )
    return None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"

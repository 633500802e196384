"""The self-employed claim rules (milestones.claim_rules): no database."""

from datetime import date

import pytest

from milestones.claim_rules import (
    SELF_EMPLOYED_CLAIM_ATTEMPTS,
    SELF_EMPLOYED_CLAIM_WINDOW_DAYS,
    Claimable,
    ClaimWindow,
    attempts_left,
    claim_deadline,
    claim_window,
    submission_refusal,
)

ACHIEVED = date(2026, 3, 3)
DEADLINE = date(2026, 6, 1)  # 3 March + 90 days


def test_claim_rules_constants_are_the_guidances():
    assert (SELF_EMPLOYED_CLAIM_WINDOW_DAYS, SELF_EMPLOYED_CLAIM_ATTEMPTS) == (90, 3)


@pytest.mark.parametrize(
    ("achieved_on", "deadline"),
    [
        (date(2026, 3, 3), date(2026, 6, 1)),
        (date(2025, 12, 15), date(2026, 3, 15)),  # across a year end
        (date(2024, 1, 1), date(2024, 3, 31)),  # a leap February
        (date(2025, 1, 1), date(2025, 4, 1)),
    ],
)
def test_claim_deadline_is_90_days_after_achievement(achieved_on, deadline):
    assert claim_deadline(achieved_on) == deadline


@pytest.mark.parametrize(
    ("today", "days_left", "overdue", "days_overdue"),
    [
        (ACHIEVED, 90, False, 0),
        (date(2026, 5, 31), 1, False, 0),
        (DEADLINE, 0, False, 0),
        (date(2026, 6, 2), -1, True, 1),
        (date(2026, 7, 1), -30, True, 30),
    ],
)
def test_claim_window_counts_the_days_left_and_flags_overdue(
    today, days_left, overdue, days_overdue
):
    window = claim_window(achieved_on=ACHIEVED, today=today)

    assert window == ClaimWindow(achieved_on=ACHIEVED, deadline=DEADLINE, days_left=days_left)
    assert (window.overdue, window.days_overdue) == (overdue, days_overdue)


@pytest.mark.parametrize(
    ("outcomes", "left"),
    [
        ([], 3),
        (["failed"], 2),
        (["failed", "pending"], 1),
        (["failed", "failed", "failed"], 0),
        (["failed", "failed", "failed", "failed"], 0),  # corrected in admin: never negative
    ],
)
def test_attempts_left_counts_every_attempt(outcomes, left):
    assert attempts_left(outcomes) == left


def claimable(**changes) -> Claimable:
    return Claimable(
        **{"self_employment": True, "verified": True, "achieved_on": ACHIEVED, "outcomes": ()}
        | changes
    )


NOT_SELF_EMPLOYED = (
    "Only a self-employed outcome is claimed in PRaP: DWP pays employed outcomes from "
    "HMRC's earnings data, without a claim."
)
NOT_VERIFIED = "The outcome must be Verified by compliance before it is claimed."
ACCEPTED = "PRaP has already accepted a claim for this outcome."
PENDING = "The last claim is still pending: record what PRaP made of it first."
NONE_LEFT = "All 3 attempts have been used, so no further claim can be submitted."
EARLY = "The claim cannot have been submitted before the outcome was achieved, on 3 March 2026."
LATE = "The claim had to be submitted by 1 June 2026, 90 days after the outcome was achieved."


@pytest.mark.parametrize(
    ("changes", "submitted_on", "refusal"),
    [
        ({}, ACHIEVED, None),
        ({}, DEADLINE, None),
        ({"outcomes": ("failed",)}, date(2026, 4, 1), None),
        ({"outcomes": ("failed", "failed")}, DEADLINE, None),
        ({"self_employment": False}, ACHIEVED, NOT_SELF_EMPLOYED),
        ({"verified": False}, ACHIEVED, NOT_VERIFIED),
        ({"achieved_on": None}, ACHIEVED, NOT_VERIFIED),
        ({"outcomes": ("failed", "accepted")}, ACHIEVED, ACCEPTED),
        ({"outcomes": ("pending",)}, ACHIEVED, PENDING),
        ({"outcomes": ("failed", "failed", "failed")}, ACHIEVED, NONE_LEFT),
        ({}, date(2026, 3, 2), EARLY),
        ({}, date(2026, 6, 2), LATE),
        # The first reason that applies: not self-employed before anything else.
        ({"self_employment": False, "verified": False}, date(2026, 6, 2), NOT_SELF_EMPLOYED),
        ({"outcomes": ("pending",)}, date(2026, 6, 2), PENDING),
    ],
)
def test_submission_refusal(changes, submitted_on, refusal):
    assert submission_refusal(claimable(**changes), submitted_on=submitted_on) == refusal

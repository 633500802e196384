"""A self-employed outcome's claims in PRaP on the claim page (milestones.views.milestones:
milestone_claim, claim_submit, claim_outcome)."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from milestones.models import ClaimAttempt, ParticipantMilestone
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


def long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def short(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def claim_url(milestone) -> str:
    return reverse("milestones:claim", args=[milestone.pk])


def submit_url(milestone) -> str:
    return reverse("milestones:claim_submit", args=[milestone.pk])


def outcome_url(attempt) -> str:
    return reverse("milestones:claim_outcome", args=[attempt.milestone_id, attempt.pk])


def date_fields(name: str, day: datetime.date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def text(response) -> str:
    """The page's text, tags dropped and spaces squeezed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def attempt_rows(response) -> list[str]:
    table = response.content.decode().split('id="claim-attempts"', 1)[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows
    ]


def user_with(*codenames: str, teams):
    user = UserFactory(teams=teams)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=[*codenames, "use_front_end"])
    )
    return user


def test_claim_page_shows_the_deadline_the_attempts_left_and_the_submission_form(
    supervisor_client,
):
    milestone = SelfEmploymentMilestoneFactory(projected_date=days(-10))

    response = supervisor_client.get(claim_url(milestone))

    page = text(response)
    assert f"Claim by {short(days(80))} 80 days left" in page
    assert "Attempts 0 of 3 used; 3 attempts left" in page
    assert "No claim has been submitted in PRaP yet." in page
    assert "Record a claim submitted in PRaP" in page
    assert f'action="{submit_url(milestone)}"' in response.content.decode()


def test_claim_page_of_an_overdue_outcome_flags_it_and_offers_no_submission(supervisor_client):
    milestone = SelfEmploymentMilestoneFactory(projected_date=days(-95))
    deadline = days(-5)

    response = supervisor_client.get(claim_url(milestone))

    page = text(response)
    assert f"Claim by {short(deadline)} Overdue by 5 days" in page
    assert (
        f"The claim had to be submitted by {long(deadline)}, 90 days after the outcome was "
        "achieved."
    ) not in page  # a claim made on time can still be recorded
    assert "Record a claim submitted in PRaP" in page


def test_claim_page_of_an_employed_outcome_has_no_prap_claim(supervisor_client):
    milestone = ParticipantMilestoneFactory(
        status=ParticipantMilestone.Status.VERIFIED, projected_date=days(-10)
    )

    response = supervisor_client.get(claim_url(milestone))

    assert "Claim in PRaP" not in text(response)
    assert submit_url(milestone) not in response.content.decode()


def test_claim_page_of_an_unverified_outcome_says_why_it_cannot_be_claimed(supervisor_client):
    milestone = SelfEmploymentMilestoneFactory(status=ParticipantMilestone.Status.ACHIEVED)

    response = supervisor_client.get(claim_url(milestone))

    page = text(response)
    assert "The outcome must be Verified by compliance before it is claimed." in page
    assert "Record a claim submitted in PRaP" not in page


def test_claim_submit_records_the_attempt_and_returns_to_the_claim_page(
    supervisor_client, supervisor
):
    milestone = SelfEmploymentMilestoneFactory()

    response = supervisor_client.post(submit_url(milestone), date_fields("submitted_on", days(-1)))
    shown = supervisor_client.get(response["Location"])

    assert response["Location"] == claim_url(milestone)
    assert list(milestone.claim_attempts.values_list("submitted_on", "outcome", "recorded_by")) == [
        (days(-1), Outcome.PENDING, supervisor.pk)
    ]
    page = text(shown)
    assert (
        f"Claim submitted in PRaP on {long(days(-1))} recorded: record PRaP's answer when it comes."
    ) in page
    assert attempt_rows(shown) == [f"1 {short(days(-1))} Pending — — {supervisor.get_full_name()}"]
    assert "Attempts 1 of 3 used; 2 attempts left" in page
    assert f"PRaP's answer to the claim submitted on {long(days(-1))}" in page


def test_claim_submit_refused_shows_why_and_records_nothing(supervisor_client):
    attempt = ClaimAttemptFactory(submitted_on=days(-3))

    response = supervisor_client.post(
        submit_url(attempt.milestone), date_fields("submitted_on", days(-1))
    )

    assert response.status_code == 200
    assert response.context["submission_form"].non_field_errors() == [
        "The last claim is still pending: record what PRaP made of it first."
    ]
    assert "There is a problem" in text(response)
    assert ClaimAttempt.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date it was submitted."),
        (date_fields("submitted_on", datetime.date.today() + datetime.timedelta(days=2)),
         "The date it was submitted must be today or in the past."),
        ({"submitted_on_day": "31", "submitted_on_month": "2", "submitted_on_year": "2026"},
         "The date it was submitted must be a real date."),
    ],
    ids=["missing", "future", "not-real"],
)  # fmt: skip
def test_claim_submit_invalid_date_shows_the_error_beside_the_field(supervisor_client, data, error):
    milestone = SelfEmploymentMilestoneFactory()

    response = supervisor_client.post(submit_url(milestone), data)

    assert response.context["submission_form"].errors == {"submitted_on": [error]}
    assert f"Error:</span> {error}" in response.content.decode()
    assert ClaimAttempt.objects.count() == 0


def test_claim_submit_htmx_returns_the_claim_part_with_its_notice(supervisor_client):
    milestone = SelfEmploymentMilestoneFactory()

    response = supervisor_client.post(
        submit_url(milestone), date_fields("submitted_on", days(0)), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith('\n<div id="milestone-claim">') or content.lstrip().startswith(
        '<div id="milestone-claim">'
    )
    assert "<html" not in content
    assert '<div class="notices" id="notices" role="status" hx-swap-oob="true">' in content
    assert f"Claim submitted in PRaP on {long(days(0))} recorded" in content
    assert f"PRaP's answer to the claim submitted on {long(days(0))}" in content


def test_claim_submit_htmx_with_an_error_returns_the_claim_part_with_it(supervisor_client):
    milestone = SelfEmploymentMilestoneFactory()

    response = supervisor_client.post(submit_url(milestone), {}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "<html" not in content
    assert "Enter the date it was submitted." in content
    assert 'id="notices"' not in content


def test_claim_outcome_failed_shows_the_reason_and_two_attempts_left(supervisor_client):
    attempt = ClaimAttemptFactory(submitted_on=days(-5))

    response = supervisor_client.post(
        outcome_url(attempt),
        {"outcome": "failed", "failure_reason": "No bank statements"}
        | date_fields("recorded_on", days(-1)),
        follow=True,
    )

    attempt.refresh_from_db()
    attempt.milestone.refresh_from_db()
    assert (attempt.outcome, attempt.failure_reason, attempt.outcome_recorded_on) == (
        Outcome.FAILED,
        "No bank statements",
        days(-1),
    )
    assert attempt.milestone.claim_status == ClaimStatus.REJECTED
    page = text(response)
    assert "The claim failed: 2 attempts left." in page
    assert attempt_rows(response) == [
        f"1 {short(days(-5))} Failed {short(days(-1))} No bank statements "
        f"{attempt.recorded_by.get_full_name()}"
    ]
    assert "Attempts 1 of 3 used; 2 attempts left" in page
    assert "Claim status: Rejected." in page
    assert "Record a claim submitted in PRaP" in page


def test_claim_outcome_accepted_makes_the_milestone_claimed(supervisor_client):
    attempt = ClaimAttemptFactory(submitted_on=days(-5))

    response = supervisor_client.post(
        outcome_url(attempt),
        {"outcome": "accepted"} | date_fields("recorded_on", days(0)),
        follow=True,
    )

    attempt.milestone.refresh_from_db()
    assert attempt.milestone.claim_status == ClaimStatus.CLAIMED
    page = text(response)
    assert "PRaP accepted the claim: Self-employment (26 weeks) is now Claimed." in page
    assert "PRaP has already accepted a claim for this outcome." in page
    assert "Record a claim submitted in PRaP" not in page


def test_claim_outcome_failed_without_a_reason_shows_the_error_and_writes_nothing(
    supervisor_client,
):
    attempt = ClaimAttemptFactory(submitted_on=days(-5))

    response = supervisor_client.post(
        outcome_url(attempt), {"outcome": "failed"} | date_fields("recorded_on", days(0))
    )

    attempt.refresh_from_db()
    assert response.context["outcome_form"].errors == {
        "failure_reason": ["Enter the reason PRaP gave for the claim failing."]
    }
    assert 'href="#id_failure_reason"' in response.content.decode()
    assert attempt.outcome == Outcome.PENDING


def test_claim_outcome_already_recorded_is_refused(supervisor_client):
    attempt = ClaimAttemptFactory(
        submitted_on=days(-5),
        outcome=Outcome.FAILED,
        failure_reason="Late",
        outcome_recorded_on=days(-2),
    )

    response = supervisor_client.post(
        outcome_url(attempt), {"outcome": "accepted"} | date_fields("recorded_on", days(0))
    )

    attempt.refresh_from_db()
    assert response.context["outcome_form"].non_field_errors() == [
        "PRaP's answer to this claim was already recorded: Failed."
    ]
    assert attempt.outcome == Outcome.FAILED


def test_claim_outcome_of_another_milestones_attempt_is_404(supervisor_client):
    attempt = ClaimAttemptFactory()
    other = SelfEmploymentMilestoneFactory()
    url = reverse("milestones:claim_outcome", args=[other.pk, attempt.pk])

    response = supervisor_client.post(
        url, {"outcome": "accepted"} | date_fields("recorded_on", days(0))
    )

    attempt.refresh_from_db()
    assert response.status_code == 404
    assert attempt.outcome == Outcome.PENDING


def test_claim_attempts_outside_the_users_teams_are_404(client, north, south):
    client.force_login(user_with("view_participant", "change_claim", teams=[north]))
    theirs = ClaimAttemptFactory(milestone__participant__team=south)
    fresh = SelfEmploymentMilestoneFactory(participant__team=south)

    submitted = client.post(submit_url(fresh), date_fields("submitted_on", days(0)))
    answered = client.post(
        outcome_url(theirs), {"outcome": "accepted"} | date_fields("recorded_on", days(0))
    )

    theirs.refresh_from_db()
    assert (submitted.status_code, answered.status_code) == (404, 404)
    assert (theirs.outcome, fresh.claim_attempts.count()) == (Outcome.PENDING, 0)


def test_claim_attempts_are_forbidden_to_administrators(administrator_client, north):
    attempt = ClaimAttemptFactory(milestone__participant__team=north)

    submitted = administrator_client.post(
        submit_url(attempt.milestone), date_fields("submitted_on", days(0))
    )
    answered = administrator_client.post(
        outcome_url(attempt), {"outcome": "accepted"} | date_fields("recorded_on", days(0))
    )

    attempt.refresh_from_db()
    assert (submitted.status_code, answered.status_code) == (403, 403)
    assert attempt.outcome == Outcome.PENDING


def test_claim_attempts_by_get_are_refused(supervisor_client):
    attempt = ClaimAttemptFactory()

    responses = [
        supervisor_client.get(submit_url(attempt.milestone)),
        supervisor_client.get(outcome_url(attempt)),
    ]

    assert [response.status_code for response in responses] == [405, 405]


@pytest.mark.parametrize("attempts", [1, 3])
def test_claim_page_query_count_does_not_grow_with_the_attempts(
    supervisor_client, attempts, django_assert_num_queries
):
    milestone = SelfEmploymentMilestoneFactory()
    for _ in range(attempts):
        ClaimAttemptFactory(
            milestone=milestone,
            recorded_by=UserFactory(),
            outcome=Outcome.FAILED,
            failure_reason="Not enough evidence",
            outcome_recorded_on=days(0),
        )

    # session, user, permissions (2), milestone, access log (read and write), attempts
    # with who recorded them
    with django_assert_num_queries(8):
        response = supervisor_client.get(claim_url(milestone))

    assert len(attempt_rows(response)) == attempts

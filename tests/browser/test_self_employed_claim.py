"""A self-employed outcome claimed in PRaP, in Chromium with JavaScript on (htmx swaps the
claim's part of the page) and off (Post/Redirect/Get): the Supervisor finds the demo's
self-employed participant on Ready to claim with its Claim by date, records a claim
that failed with PRaP's reason, then a second that PRaP accepted, and the claim page
shows both; axe finds nothing on it (with JavaScript on), its errors showing included."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from milestones.models import ClaimAttempt, ParticipantMilestone
from tests.browser.steps import fill_date, sign_in
from tests.browser.test_accessibility import violations
from tracker_site.management.commands.load_demo import SELF_EMPLOYED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def short(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


@pytest.mark.parametrize("page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_supervisor_records_a_failed_claim_then_an_accepted_one(page: Page, demo, request):
    # axe runs in the page's JavaScript: only when it is on.
    javascript = request.node.callspec.params["page"]
    today = datetime.date.today()
    sign_in(page, "supervisor")

    # Ready to claim: the self-employed outcome, with when it must be claimed by.
    page.goto("/reviews/ready-to-claim/")
    row = page.locator("#claim-table tbody tr").filter(has_text=SELF_EMPLOYED)
    expect(row.locator("[data-claim-by]")).to_have_text(
        f"{short(today + datetime.timedelta(days=70))} 70 days left"
    )
    row.get_by_role("link", name="Self-employment (26 weeks)").click()
    claim = page.locator("#milestone-claim")
    expect(claim.locator("[data-attempts]")).to_have_text("0 of 3 used; 3 attempts left")

    # The first claim, which fails; without a reason it is refused beside the field.
    fill_date(page, "Submitted in PRaP on", today - datetime.timedelta(days=6))
    page.get_by_role("button", name="Record the claim").click()
    expect(page.locator("#notices")).to_contain_text("record PRaP's answer when it comes")
    page.get_by_label("Failed", exact=True).check()
    fill_date(page, "PRaP answered on", today - datetime.timedelta(days=3))
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("#id_failure_reason_error")).to_have_text(
        "Error: Enter the reason PRaP gave for the claim failing."
    )
    assert not javascript or violations(page) == []
    page.get_by_label("Failed", exact=True).check()
    page.get_by_label("Reason it failed").fill("Bank statements do not cover weeks 20 to 26")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("#notices")).to_have_text("The claim failed: 2 attempts left.")
    expect(claim.locator("[data-attempts]")).to_have_text("1 of 3 used; 2 attempts left")

    # The second claim, which PRaP accepts.
    fill_date(page, "Submitted in PRaP on", today - datetime.timedelta(days=1))
    page.get_by_role("button", name="Record the claim").click()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("#notices")).to_have_text(
        "PRaP accepted the claim: Self-employment (26 weeks) is now Claimed."
    )

    rows = page.locator("#claim-attempts tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Failed")
    expect(rows.nth(0)).to_contain_text("Bank statements do not cover weeks 20 to 26")
    expect(rows.nth(1)).to_contain_text("Accepted")
    expect(claim.locator("[data-attempts]")).to_have_text("2 of 3 used; 1 attempt left")
    expect(claim).to_contain_text("PRaP has already accepted a claim for this outcome.")
    expect(claim).to_contain_text("Claim status: Claimed.")
    assert not javascript or violations(page) == []
    milestone = ParticipantMilestone.objects.get(
        participant__reference=SELF_EMPLOYED, kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT
    )
    assert milestone.claim_status == ParticipantMilestone.ClaimStatus.CLAIMED
    assert list(milestone.claim_attempts.values_list("outcome", flat=True)) == [
        ClaimAttempt.Outcome.FAILED,
        ClaimAttempt.Outcome.ACCEPTED,
    ]

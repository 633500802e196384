"""The compliance review, end to end in Chromium with JavaScript on and off: compliance
opens a tracker from Assigned to me, sees its PDF in the page and rejects it with a
reason; the administrator corrects it and resubmits; a second compliance officer
approves it; its milestone is Verified and ready to claim, and the supervisor exports it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from milestones.models import ParticipantMilestone
from reviews.models import Decision
from tests.browser.steps import sign_in
from trackers.models import Tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def tracker(settings, tmp_path) -> Tracker:
    """A demo tracker in review, assigned to Priya Shah, whose participant has reached a
    milestone (so that approving it verifies one)."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tracker = (
        Tracker.objects.filter(
            assignee__username="compliance",
            status=Tracker.Status.IN_REVIEW,
            participant__milestones__status=ParticipantMilestone.Status.ACHIEVED,
        )
        .select_related("participant")
        .order_by("pk")
        .first()
    )
    assert tracker is not None, "the demo has no tracker to walk"
    return tracker


def signed_in(browser: Browser, live_server, username: str, javascript: bool) -> Page:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, username)
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_tracker_is_rejected_corrected_approved_and_exported(
    browser, live_server, settings, tracker, javascript
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    participant = tracker.participant

    # Compliance: Assigned to me → the tracker → its PDF in the page → reject.
    page = signed_in(browser, live_server, "compliance", javascript)
    page.get_by_role("link", name="Review queue").click()
    expect(page.locator(".tabs [aria-current=page]")).to_contain_text("Assigned to me")
    row = page.locator("#queue-results tr").filter(has_text=participant.reference)
    with page.expect_response(lambda r: "inline=1" in r.url) as shown:
        row.get_by_role("link", name=tracker.description).click()
    assert (shown.value.status, shown.value.headers["content-type"]) == (200, "application/pdf")
    expect(page.locator("iframe.evidence-viewer")).to_be_visible()
    page.get_by_label("Reject").check()
    page.get_by_label("Reason").select_option(label="Evidence illegible")
    page.get_by_label("Note").fill("The payslip is cut off at the bottom.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".notices")).to_contain_text(f"Reject: {tracker.description} recorded.")
    page.context.close()

    # The administrator corrects it and submits it again.
    page = signed_in(browser, live_server, "admin", javascript)
    page.goto(f"/participants/{participant.pk}/trackers/{tracker.pk}/")
    expect(page.locator("h1 .tag")).to_have_text("Rejected")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Weekly working hours").fill("30")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".notices")).to_contain_text("Submitted for review.")
    page.context.close()

    # A second compliance officer approves it.
    page = signed_in(browser, live_server, "reviewer", javascript)
    page.goto(f"/reviews/trackers/{tracker.pk}/")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".notices")).to_contain_text(f"Approve: {tracker.description} recorded.")
    page.goto(f"/reviews/trackers/{tracker.pk}/")
    statuses = page.locator("#participant-milestones tbody tr td:nth-child(6)").all_inner_texts()
    assert "Verified" in statuses
    page.context.close()

    # The supervisor finds it ready to claim and exports it.
    page = signed_in(browser, live_server, "supervisor", javascript)
    page.get_by_role("link", name="Ready to claim").click()
    expect(page.locator("#claim-results")).to_contain_text(participant.reference)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    exported = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert re.search(rf"^{participant.reference},.*,Verified,Not claimed$", exported, re.M)
    page.context.close()
    assert list(tracker.decisions.order_by("decided_at").values_list("outcome", flat=True)) == [
        Decision.Outcome.REJECTED,
        Decision.Outcome.APPROVED,
    ]

"""Reconciliation with DWP, end to end in Chromium with JavaScript on and off: the
Supervisor uploads the demo's sample file, previews the states, applies it, links the
unmatched row that surname and date of birth propose, and sees projected against
DWP-confirmed on the participant's page; and a file too large for a request, applied by
a job."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from participants.models import Participant
from reconciliation.demo import SAMPLE_FILE
from reconciliation.models import DwpNotification, NotificationImport
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_supervisor_reconciles_the_sample_file(page, demo):
    sign_in(page, "supervisor")

    # Upload → preview: counts per state, nothing recorded yet.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="DWP notifications"
    ).click()
    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("Notification file").set_input_files(str(SAMPLE_FILE))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check dwp-notifications.csv")
    counts = page.locator("[data-state-counts]")
    for state, count in [
        ("matched_new", "3"), ("matched_updated", "1"), ("complete", "1"),
        ("unmatched", "2"), ("conflict", "3"), ("invalid", "3"),
    ]:  # fmt: skip
        expect(counts.locator(f'[data-count="{state}"]')).to_have_text(count)
    expect(page.get_by_text("Columns not used")).to_be_visible()
    expect(page.get_by_text("for another provider")).to_be_visible()
    assert DwpNotification.objects.count() == 0

    # Confirm: every matched row at once.
    page.get_by_role("button", name="Apply 4 notifications").click()
    expect(
        page.get_by_text("dwp-notifications.csv applied: 4 notifications recorded.")
    ).to_be_visible()
    expect(page.locator("[data-import-status]")).to_contain_text("Applied")
    assert NotificationImport.objects.get().status == "applied"

    # The unmatched row surname and date of birth propose: check, then link it.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="DWP notifications"
    ).click()
    page.get_by_role("link", name="Unmatched rows").click()
    row = page.get_by_role("row").filter(has_text="Possible match: Ruth Adebayo")
    row.get_by_role("link", name="Resolve").click()
    expect(page.get_by_label("Participant reference")).to_have_value("RS4-DWP-005")
    page.get_by_role("button", name="Link and record").click()
    expect(page.get_by_text("linked to Ruth Adebayo.")).to_be_visible()
    expect(page.locator("[data-open-count]")).to_have_text("1 open")

    # Projected against DWP-confirmed on the participant.
    ruth = Participant.objects.get(reference="RS4-DWP-005")
    page.goto(f"/participants/{ruth.pk}/")
    panel = page.locator("#dwp-reconciliation")
    lower = panel.locator('tr[data-milestone="Lower earnings milestone"]')
    expect(lower.locator("[data-confirmed]")).to_contain_text("18 Mar 2025")
    expect(lower.locator("[data-difference]")).to_contain_text("day")
    outcome = panel.locator('tr[data-milestone="Job outcome"]')
    expect(outcome.locator("[data-confirmed]")).to_have_text("Not yet")
    expect(outcome.locator("[data-flags]")).to_contain_text("Missing")

    # DWP's next file repeats this one: nothing is applied or queued twice.
    page.goto("/dwp-notifications/upload/")
    page.get_by_label("Notification file").set_input_files(str(SAMPLE_FILE))
    page.get_by_role("button", name="Upload and check").click()
    expect(counts.locator('[data-count="complete"]')).to_have_text("10")
    expect(counts.locator('[data-count="invalid"]')).to_have_text("3")
    expect(page.get_by_text("which is waiting on the conflicts worklist").first).to_be_visible()
    page.get_by_role("button", name="Record the file, applying nothing").click()
    expect(page.get_by_text("applied: 0 notifications recorded.")).to_be_visible()
    page.goto("/dwp-notifications/unmatched/")
    expect(page.locator("[data-open-count]")).to_have_text("1 open")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_large_file_is_applied_by_a_job_followed_to_done(
    browser: Browser, live_server, demo_db_worker, settings, javascript
):
    """More rows than DWP_BACKGROUND_ROWS: confirming starts a job (run by a real
    db_worker), whose page follows it to Done and links back to the file's rows."""
    settings.DWP_BACKGROUND_ROWS = 5
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, "supervisor")
    page.goto("/dwp-notifications/upload/")
    page.get_by_label("Notification file").set_input_files(str(SAMPLE_FILE))
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_role("button", name="Apply 4 notifications").click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Applying dwp-notifications.csv")
    expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("13 rows.")).to_be_visible()
    page.get_by_role("link", name="See the file's rows as applied").click()
    expect(page.locator("[data-import-status]")).to_contain_text("Applied")
    applied = NotificationImport.objects.get(status="applied")
    assert (applied.applied_count, applied.row_count) == (4, 13)
    context.close()

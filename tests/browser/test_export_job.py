"""The Milestones export as a background job, in Chromium with JavaScript on and off:
the supervisor clicks Export CSV, lands on the job's page, which follows the job (htmx
polling with JavaScript, a meta refresh without) until it is done, and downloads the file.

The job is run by a real worker of the database backend (``manage.py db_worker``, a
subprocess on the live server's database), so the page sees it queued, then done.
"""

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, expect

from jobs.models import Job
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_export_csv_is_made_by_a_job_and_downloaded_from_its_page(
    browser: Browser, live_server, demo_db_worker, javascript
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, "supervisor")
    page.goto("/milestones/?when=any")

    page.get_by_role("button", name="Export CSV").click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Milestones CSV export")
    if javascript:
        page.evaluate("window.notReloaded = true")
    expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=60_000)
    if javascript:
        assert page.evaluate("window.notReloaded") is True  # htmx swapped, no reload
    job = Job.objects.get()
    expect(page.get_by_text(f"{job.row_count:,} rows.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download milestones-")).click()
    content = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    _header, *rows = csv.reader(io.StringIO(content.removeprefix("\ufeff")))
    assert content.startswith("\ufeffParticipant reference,Participant,Programme")
    assert len(rows) == job.row_count > 0
    assert job.parameters["filters"] == {"when": "any"}

    page.get_by_role("link", name="Exports and jobs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your exports and jobs")
    expect(page.get_by_role("link", name="Milestones CSV export", exact=True)).to_be_visible()
    context.close()

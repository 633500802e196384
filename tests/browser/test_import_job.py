"""The referral import as a background job, in Chromium with JavaScript on and off: the
supervisor uploads a file, checks its preview, confirms it, and lands on the job's page,
which follows the job until it is done and links back to the participants.

The job is run by a real worker of the database backend (``manage.py db_worker``, a
subprocess on the live server's database), as in test_export_job.
"""

import re

import pytest
from playwright.sync_api import Browser, expect

from jobs.models import Job
from participants.models import Participant
from tests.browser.steps import sign_in
from tests.participants.test_imports import referral, referral_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_referral_import_is_confirmed_into_a_job_followed_to_done(
    browser: Browser, live_server, demo_db_worker, tmp_path, javascript
):
    path = tmp_path / "referrals.csv"
    path.write_text(
        referral_csv(*(referral(reference=f"RS-IMPORT-{n}", nino="") for n in range(3))),
        encoding="utf-8",
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, "supervisor")
    page.goto("/participants/import/")

    page.get_by_label("CSV file").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import 3 participants").click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of referrals.csv")
    expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("3 rows.")).to_be_visible()
    job = Job.objects.get()
    assert (job.kind, job.row_count) == ("participants_import", 3)
    assert Participant.objects.filter(reference__startswith="RS-IMPORT-").count() == 3

    page.get_by_role("link", name="Go to participants").click()
    expect(page).to_have_url(re.compile(r"/participants/$"))
    context.close()

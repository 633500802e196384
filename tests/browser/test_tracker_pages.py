"""A participant's tracker pages in Chromium: the evidence dialogs with JavaScript on (Add
evidence uploads and closes, Escape closes and the button still works, Delete removes
the document), and amounts shown as money in right-aligned tabular figures."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.steps import sign_in
from trackers.models import EvidenceDocument, Tracker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R /Size 4>>\n%%EOF\n"
)


@pytest.fixture
def tracker(settings, tmp_path) -> Tracker:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Tracker.objects.filter(documents__isnull=True).select_related("participant").first()


def test_add_evidence_in_the_dialog_uploads_and_closes(page: Page, tracker, tmp_path):
    payslip = tmp_path / "march-payslip.pdf"
    payslip.write_bytes(PDF)
    sign_in(page, "supervisor")
    page.goto(f"/participants/{tracker.participant_id}/trackers/{tracker.pk}/")
    opener = page.get_by_role("link", name="Add evidence")

    opener.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(opener).to_be_focused()
    opener.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Document type").select_option("Payslip")
    dialog.get_by_label("Files").set_input_files(payslip)
    dialog.get_by_role("button", name="Upload").click()

    expect(dialog).to_be_hidden()
    # What the save did is said in the page's live region, and focus goes back to the
    # button (not to the top of the page), and stays there once the evidence list, the
    # button with it, has been fetched again with the new file.
    expect(page.locator("#notices[role=status]")).to_have_text("Uploaded march-payslip.pdf.")
    documents = page.locator("#tracker-documents")
    expect(documents).to_contain_text("march-payslip.pdf")
    expect(opener).to_be_focused()
    assert list(tracker.documents.values_list("original_name", "kind")) == [
        ("march-payslip.pdf", "payslip")
    ]

    page.get_by_role("link", name="Delete march-payslip.pdf").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()

    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(documents).to_contain_text("No evidence yet.")
    assert EvidenceDocument.objects.current().filter(tracker=tracker).count() == 0


def test_amounts_are_right_aligned_in_tabular_figures(page: Page, tracker):
    sign_in(page, "supervisor")

    page.goto(f"/participants/{tracker.participant_id}/trackers/")

    pay = page.locator("main table td.numeric").filter(has_text="£").first
    expect(pay).to_have_css("text-align", "right")
    expect(pay).to_have_css("font-variant-numeric", "tabular-nums")
    expect(pay).to_have_text(re.compile(r"^£\d{1,3}(,\d{3})*\.\d{2}$"))

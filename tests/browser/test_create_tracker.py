"""The seed's workflow, end to end in Chromium: grid → row menu → Trackers → Create Tracker
→ + organisation (address found by postcode, contact) → every field → PDF → Create."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from organisations.models import Organisation, PostcodeAddress
from participants.models import Participant
from tests.browser.steps import fill_date, sign_in
from tests.factories import MINIMAL_PDF
from trackers.models import Tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PDF = MINIMAL_PDF


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for number, street in [(2, "Park Row"), (10, "Park Row"), (1, "Park Row")]:
        PostcodeAddress.objects.create(
            line_1=f"{number} {street}", town="Leeds", county="West Yorkshire", postcode="LS1 5HD"
        )


def test_admin_creates_a_tracker_with_a_new_employer_and_evidence(page: Page, demo, tmp_path):
    participant = Participant.objects.filter(team__name="North").order_by("reference")[3]
    evidence = tmp_path / "offer-letter.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, "admin")
    page.get_by_label("Search").fill(participant.reference)
    expect(page.locator("#participant-results tbody tr")).to_have_count(1)
    page.get_by_text(re.compile(r"^Menu")).click()
    page.get_by_role("link", name="Trackers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trackers")
    page.get_by_role("link", name="Create Tracker").click()

    page.get_by_label("Type", exact=True).select_option("Job")
    expect(page.locator(".review-status")).to_contain_text("New")
    page.get_by_label("Assignee").select_option("Priya Shah")
    page.get_by_label("Description (job title)").fill("Kitchen porter")

    opener = page.get_by_role("button", name="Add a new organisation")
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    opener.click()
    dialog.get_by_role("button", name="Add organisation").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Enter the organisation's name.")
    expect(page.get_by_label("Description (job title)")).to_have_value("Kitchen porter")
    organisation = dialog.get_by_role("group", name="Organisation")
    organisation.get_by_label("Name").fill("Park Row Kitchen Ltd")
    organisation.get_by_text("Owner, category, UKPRN and website").click()
    organisation.get_by_label("Category (SIC 2007 section)").select_option("I")
    # Added as the job's employer by someone who may confirm it: Confirmed already.
    expect(organisation.get_by_label("Status")).to_have_value("confirmed")
    address = dialog.get_by_role("group", name="First address (optional)")
    address.get_by_label("Postcode").fill("ls15hd")
    address.get_by_role("button", name="Find address").click()
    # What the failed save said is out of date now, as it is without JavaScript.
    expect(dialog.get_by_role("alert")).to_have_count(0)
    expect(address.get_by_role("radio").first).to_be_focused()  # the first address found
    address.get_by_label("2 Park Row, Leeds, LS1 5HD").check()
    address.get_by_role("button", name="Use this address").click()
    expect(address.get_by_label("Address line 1")).to_have_value("2 Park Row")
    expect(address.get_by_label("Address line 1")).to_be_focused()
    expect(address.get_by_label("Town or city")).to_have_value("Leeds")
    contact = dialog.get_by_role("group", name="First contact (optional)")
    contact.get_by_label("Name").fill("Sam O'Neill")
    contact.get_by_label("Role").fill("Head chef")
    contact.get_by_label("Email").fill("sam@parkrowkitchen.example")
    contact.get_by_label("Phone", exact=True).fill("0113 496 0000")
    dialog.get_by_role("button", name="Add organisation").click()

    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    # The combobox shows it; the select it stands for holds it.
    expect(page.get_by_role("combobox", name="Organisation")).to_have_value("Park Row Kitchen Ltd")
    expect(page.locator("#id_organisation-select")).to_have_value(
        str(Organisation.objects.get(name="Park Row Kitchen Ltd").pk)
    )
    fill_date(page, "Employment start date", datetime.date(2025, 6, 2))
    fill_date(page, "End date", datetime.date(2025, 11, 28))
    page.get_by_label("Weekly working hours").fill("20")
    page.get_by_label("Hourly rate of pay (£)").fill("12.21")
    page.get_by_label("Type of evidence").select_option("Offer letter")
    page.get_by_label("Evidence documents").set_input_files(str(evidence))
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Trackers")
    row = page.locator("tbody tr", has_text="Park Row Kitchen Ltd")
    expect(row).to_contain_text("Park Row Kitchen Ltd")
    expect(row).to_contain_text("£244.20")
    expect(row.get_by_role("link", name="offer-letter.pdf")).to_be_visible()
    tracker = Tracker.objects.get(organisation__name="Park Row Kitchen Ltd")
    assert (tracker.assignee.username, tracker.organisation.addresses.get().line_1) == (
        "compliance",
        "2 Park Row",
    )
    assert tracker.organisation.contacts.get().address == tracker.organisation.addresses.get()


@pytest.mark.parametrize("page", [False], ids=["no-js"], indirect=True)
def test_the_seed_workflow_without_javascript(page: Page, demo, tmp_path):
    """Search, the row menu, Trackers, Create Tracker, + organisation as a page of its
    own (Find address posts the form), back to the tracker with it chosen, evidence,
    Create: every step a plain link or form."""
    participant = Participant.objects.filter(team__name="North").order_by("reference")[4]
    evidence = tmp_path / "payslip.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, "admin")
    page.get_by_label("Search").fill(participant.reference)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#participant-results tbody tr")).to_have_count(1)
    expect(page.locator("#participant-results")).to_contain_text("1 participant found")
    page.get_by_text(re.compile(r"^Menu")).click()
    page.get_by_role("link", name="Trackers").click()
    page.get_by_role("link", name="Create Tracker").click()
    page.get_by_label("Assignee").select_option("Priya Shah")

    page.get_by_role("button", name="Add a new organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an employer")
    page.get_by_role("group", name="Organisation").get_by_label("Name").fill("Park Row Deli")
    address = page.get_by_role("group", name="First address (optional)")
    address.get_by_label("Postcode").fill("ls15hd")
    address.get_by_role("button", name="Find address").click()
    address.get_by_label("10 Park Row, Leeds, LS1 5HD").check()
    address.get_by_role("button", name="Use this address").click()
    expect(address.get_by_label("Address line 1")).to_have_value("10 Park Row")
    page.get_by_role("button", name="Add organisation").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Create Tracker")
    expect(page.locator(".notices")).to_contain_text("Park Row Deli was added")
    deli = Organisation.objects.get(name="Park Row Deli")
    expect(page.get_by_label("Organisation", exact=True)).to_have_value(str(deli.pk))
    page.get_by_label("Description (job title)").fill("Deli assistant")
    fill_date(page, "Employment start date", datetime.date(2025, 7, 7))
    page.get_by_label("Weekly working hours").fill("16")
    page.get_by_label("Hourly rate of pay (£)").fill("12.21")
    page.get_by_label("Evidence documents").set_input_files(str(evidence))
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Trackers")
    expect(page.locator(".notices")).to_contain_text("Tracker created: Deli assistant.")
    tracker = Tracker.objects.get(organisation=deli)
    assert (tracker.assignee.username, tracker.documents.get().original_name) == (
        "compliance",
        "payslip.pdf",
    )
    assert deli.status == Organisation.Status.CONFIRMED

"""The seed's workflow by keyboard alone, in Chromium: sign in, search, the row menu,
Trackers, Create Tracker, + organisation with Find address and a contact, every field,
evidence, Create, then Add evidence on the tracker page. Only Tab, Shift+Tab, Enter,
Space, Escape, arrows and typing; every control is reached with Tab."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from organisations.models import PostcodeAddress
from participants.models import Participant
from trackers.models import Tracker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R /Size 4>>\n%%EOF\n"
)
MAX_TABS = 80


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the target has the focus (it must be reachable from where we are)."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


@pytest.fixture
def participant(settings, tmp_path) -> Participant:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for number in (2, 10):
        PostcodeAddress.objects.create(
            line_1=f"{number} Park Row", town="Leeds", postcode="LS1 5HD"
        )
    return Participant.objects.filter(team__name="North", trackers__isnull=True).order_by(
        "reference"
    )[0]


@pytest.fixture
def keyboard_page(browser, live_server, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def type_date(page: Page, legend: str, date: datetime.date) -> None:
    """Type a date into the GOV.UK date input: day, Tab, month, Tab, year."""
    group = page.get_by_role("group", name=legend)
    tab_to(page, group.get_by_label("Day"))
    page.keyboard.type(str(date.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(date.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(date.year))
    expect(group.get_by_label("Year")).to_be_focused()


def test_the_seed_workflow_by_keyboard_alone(keyboard_page: Page, participant, tmp_path):
    page = keyboard_page
    # Listening for file choosers from the start has the browser intercept them before
    # the first Space below: a listener added just before the key press (as
    # expect_file_chooser does) races the press, and on a busy machine loses.
    page.on("filechooser", lambda _chooser: None)
    evidence = tmp_path / "offer-letter.pdf"
    evidence.write_bytes(PDF)

    page.goto("/")
    type_into(page, page.get_by_label("Username"), "admin")
    type_into(page, page.get_by_label("Password"), "tracker-demo")
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Search"), participant.reference)
    expect(page.locator("#participant-results tbody tr")).to_have_count(1)
    tab_to(page, page.locator("#participant-results summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Trackers"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Create Tracker"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Create Tracker")
    tab_to(page, page.get_by_label("Assignee"))
    page.keyboard.type("Priya")
    type_into(page, page.get_by_label("Description (job title)"), "Kitchen porter")
    opener = page.get_by_role("button", name="Add a new organisation")
    tab_to(page, opener)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    organisation = dialog.get_by_role("group", name="Organisation")
    expect(organisation.get_by_label("Name")).to_be_focused()
    page.keyboard.type("Park Row Kitchen Ltd")
    address = dialog.get_by_role("group", name="First address (optional)")
    type_into(page, address.get_by_label("Postcode"), "ls15hd")
    tab_to(page, address.get_by_role("button", name="Find address"))
    page.keyboard.press("Enter")
    # Focus goes to the first address found, not back to the top.
    found = address.get_by_role("radio")
    expect(found.first).to_be_focused()
    choice = address.get_by_label("10 Park Row, Leeds, LS1 5HD")
    for _ in range(found.count()):
        if choice.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(choice).to_be_focused()
    expect(choice).to_be_checked()
    tab_to(page, address.get_by_role("button", name="Use this address"))
    page.keyboard.press("Enter")
    expect(address.get_by_label("Address line 1")).to_have_value("10 Park Row")
    expect(address.get_by_label("Address line 1")).to_be_focused()
    contact = dialog.get_by_role("group", name="First contact (optional)")
    type_into(page, contact.get_by_label("Name"), "Sam O'Neill")
    type_into(page, contact.get_by_label("Email"), "sam@parkrowkitchen.example")
    type_into(page, contact.get_by_label("Phone", exact=True), "0113 496 0000")
    tab_to(page, dialog.get_by_role("button", name="Add organisation"))
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    type_date(page, "Employment start date", datetime.date(2025, 6, 2))
    type_into(page, page.get_by_label("Weekly working hours"), "20")
    type_into(page, page.get_by_label("Hourly rate of pay (£)"), "12.21")
    tab_to(page, page.get_by_label("Type of evidence"))
    page.keyboard.type("Offer")
    tab_to(page, page.get_by_label("Evidence documents"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(evidence))
    tab_to(page, page.get_by_role("button", name="Create", exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Trackers")
    tracker = Tracker.objects.get(organisation__name="Park Row Kitchen Ltd")
    assert (tracker.assignee.username, str(tracker.start_date), tracker.documents.get().kind) == (
        "compliance",
        "2025-06-02",
        "offer_letter",
    )
    tab_to(page, page.get_by_role("link", name="Kitchen porter"))
    page.keyboard.press("Enter")
    add = page.get_by_role("link", name="Add evidence")
    tab_to(page, add)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_to(page, dialog.get_by_label("Document type"))
    page.keyboard.type("Payslip")
    tab_to(page, dialog.get_by_label("Files"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(evidence))
    tab_to(page, dialog.get_by_role("button", name="Upload"))
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(page.locator("#tracker-documents tbody tr")).to_have_count(2)
    assert sorted(tracker.documents.values_list("kind", flat=True)) == ["offer_letter", "payslip"]

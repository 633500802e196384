"""axe-core's WCAG 2.2 A and AA rules, in Chromium, on every page and every dialog state,
forms with their errors showing included, at a desktop width (1280 px) and the width of
a small phone or of 400 % zoom (320 px)."""

import base64
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from organisations.models import Organisation, PostcodeAddress
from participants.models import Participant
from programmes.models import Programme
from reconciliation.demo import SAMPLE_FILE as DWP_SAMPLE_FILE
from tests.browser.steps import sign_in, sign_out
from tests.factories import JobFactory
from trackers.models import Tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
WIDTHS = {"desktop": 1280, "phone": 320}


def violations(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


class Survey:
    """What axe found on each page or dialog state visited."""

    def __init__(self, page: Page):
        self.page = page
        self.found: dict[str, list[str]] = {}

    def visit(self, name: str, url: str) -> None:
        self.page.goto(url)
        self.check(name)

    def check(self, name: str) -> None:
        self.found[name] = violations(self.page)

    def follow(self, name: str, control: Locator) -> None:
        """Click a link or submit button and check the page it loads, once it has loaded:
        axe run while the old page unloads finds no document."""
        with self.page.expect_navigation():
            control.click()
        self.check(name)

    def dialog(self) -> "Page":
        dialog = self.page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        return dialog

    def problems(self) -> dict[str, list[str]]:
        return {name: found for name, found in self.found.items() if found}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_administrator_pages_and_dialogs(page: Page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    survey = Survey(page)
    # One whose job has evidence (the demo's DWP participants have jobs without any).
    participant = Participant.objects.filter(
        team__name="North", trackers__documents__isnull=False
    ).first()
    tracker = participant.trackers.filter(documents__isnull=False).first()
    organisation = Organisation.objects.filter(addresses__isnull=False).first()
    postcode = PostcodeAddress.objects.values_list("postcode", flat=True).first()
    trackers = f"/participants/{participant.pk}/trackers"

    survey.visit("sign in", "/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not the password")
    survey.follow("sign in, wrong password", page.get_by_role("button", name="Sign in"))
    sign_in(page, "admin")
    survey.visit("participants", "/participants/?q=a")
    page.get_by_text(re.compile(r"^Menu")).first.click()
    survey.check("participants, row menu open")
    survey.visit("profile", f"/participants/{participant.pk}/")
    survey.visit("edit participant", f"/participants/{participant.pk}/edit/")
    survey.visit("add participant", "/participants/new/")
    survey.follow(
        "add participant, with errors", page.get_by_role("button", name=re.compile("Add|Save")).last
    )
    survey.visit("trackers", f"{trackers}/")

    survey.visit("tracker", f"{trackers}/{tracker.pk}/")
    page.get_by_role("link", name="Add evidence").click()
    survey.dialog()
    survey.check("add evidence dialog")
    survey.dialog().get_by_role("button", name="Upload").click()
    expect(survey.dialog().get_by_role("alert")).to_be_visible()
    survey.check("add evidence dialog, with errors")
    page.keyboard.press("Escape")
    survey.visit("edit tracker", f"{trackers}/{tracker.pk}/edit/")
    survey.visit("end job", f"{trackers}/{tracker.pk}/end/")
    survey.follow("end job, with errors", page.get_by_role("button", name="End job"))

    survey.visit("create tracker", f"{trackers}/new/")
    page.get_by_role("combobox", name="Organisation").click()
    expect(page.locator("#id_organisation__listbox")).to_be_visible()
    survey.check("create tracker, employer suggestions open")
    survey.follow(
        "create tracker, with errors", page.get_by_role("button", name="Create", exact=True)
    )
    page.get_by_role("button", name="Add a new organisation").click()
    dialog = survey.dialog()
    survey.check("organisation dialog")
    dialog.get_by_role("button", name="Add organisation").click()
    expect(dialog.get_by_role("alert")).to_be_visible()
    survey.check("organisation dialog, with errors")
    address = dialog.get_by_role("group", name="First address (optional)")
    address.get_by_label("Postcode").fill(postcode)
    address.get_by_role("button", name="Find address").click()
    expect(address.get_by_role("radio").first).to_be_visible()
    dialog.get_by_text("Owner, category, UKPRN and website").click()
    dialog.get_by_text("They work at a different address").click()
    survey.check("organisation dialog, addresses found, everything open")
    page.keyboard.press("Escape")

    survey.visit("organisations", "/organisations/?q=a")
    survey.visit("add organisation", "/organisations/new/")
    survey.visit("organisation", organisation.get_absolute_url())
    page.get_by_role("link", name="Add an address").click()
    survey.dialog().get_by_role("button", name=re.compile("Save")).click()
    expect(survey.dialog().get_by_role("alert")).to_be_visible()
    survey.check("address dialog, with errors")
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Add a contact").click()
    survey.dialog().get_by_role("button", name="Save contact").click()
    expect(survey.dialog().get_by_role("alert")).to_be_visible()
    survey.check("contact dialog, with errors")
    page.keyboard.press("Escape")
    survey.visit("edit organisation", f"{organisation.get_absolute_url()}edit/")

    assert survey.problems() == {}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_supervisor_and_compliance_pages(page: Page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    survey = Survey(page)
    sign_in(page, "supervisor")
    tracker = Tracker.objects.filter(documents__isnull=False).first()
    survey.visit("tracker", f"/participants/{tracker.participant_id}/trackers/{tracker.pk}/")
    page.get_by_role("link", name=re.compile("^Delete")).first.click()
    survey.dialog()
    survey.check("delete evidence dialog")
    page.keyboard.press("Escape")
    survey.visit("milestones", "/milestones/")
    survey.visit("milestones, a filter it cannot use", "/milestones/?due_within=abc")
    survey.follow(
        "claim", page.locator("#milestone-results tbody a").filter(has_text="claimed").first
    )
    page.goto("/milestones/")
    page.get_by_role("button", name="Export CSV").click()
    expect(page.get_by_role("heading", name="Done")).to_be_visible()
    survey.check("export job, done")
    running = JobFactory(
        started_by=User.objects.get(username="supervisor"),
        status="running",
        progress_done=1,
        progress_total=4,
    )
    survey.visit("job, running", f"/jobs/{running.pk}/")
    survey.visit("your exports and jobs", "/jobs/")
    survey.visit("forecast", "/milestones/forecast/")
    survey.visit("programmes", "/milestones/programmes/")
    survey.visit("programme builder", f"/milestones/programmes/{Programme.objects.first().pk}/")
    survey.follow(
        "programme builder, suggest without a date",
        page.get_by_role("button", name="Suggest an amount"),
    )
    survey.visit("caseloads", "/reviews/caseload/")
    survey.visit("ready to claim", "/reviews/ready-to-claim/")
    survey.visit("QA samples", "/reviews/samples/")
    page.get_by_label("Percentage to sample").fill("10")
    page.get_by_role("button", name=re.compile("Draw")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("QA sample")
    survey.check("QA sample")
    survey.visit("DWP notifications", "/dwp-notifications/")
    survey.visit("DWP upload", "/dwp-notifications/upload/")
    page.get_by_label("Notification file").set_input_files(str(DWP_SAMPLE_FILE))
    survey.follow("DWP preview", page.get_by_role("button", name="Upload and check"))
    survey.follow("DWP file applied", page.get_by_role("button", name=re.compile("^Apply")))
    survey.visit("DWP unmatched", "/dwp-notifications/unmatched/")
    page.get_by_role("link", name=re.compile("^Resolve")).first.click()
    survey.follow("DWP resolve, with errors", page.get_by_role("button", name="Dismiss"))
    survey.visit("DWP worklists", "/dwp-notifications/worklists/?list=missing")
    survey.visit(
        "profile with DWP", f"/participants/{Participant.objects.get(reference='RS4-DWP-001').pk}/"
    )
    survey.follow(
        "DWP payment", page.get_by_role("link", name=re.compile("^Payment and debits")).first
    )

    sign_in(page, "compliance")
    in_review = Tracker.objects.filter(status="in_review", assignee__username="compliance").first()
    survey.visit("review queue", "/reviews/")
    survey.visit("review queue, decided", "/reviews/?tab=decided")
    survey.visit("review page", f"/reviews/trackers/{in_review.pk}/")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    survey.check("review page, with errors")

    assert survey.problems() == {}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_account_and_two_factor_pages(page: Page, demo, settings, width):
    settings.TWO_FACTOR_REQUIRED = True
    page.set_viewport_size({"width": width, "height": 900})
    survey = Survey(page)
    sign_in(page, "compliance")
    survey.check("two-factor set-up")
    survey.follow("two-factor set-up, with errors", page.get_by_role("button", name="Set up"))
    key = page.get_by_test_id("typed-key").inner_text().replace(" ", "")
    code = totp(base64.b32decode(key + "=" * (-len(key) % 8)))
    page.get_by_label("Code from the app").fill(f"{code:06d}")
    survey.follow("recovery codes", page.get_by_role("button", name="Set up"))
    survey.visit("account", "/accounts/")
    survey.visit("change password", "/accounts/password/")
    survey.follow(
        "change password, with errors", page.get_by_role("button", name="Change password")
    )
    sign_out(page)
    sign_in(page, "compliance")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.get_by_text("I do not have my phone").click()
    survey.check("two-factor code, with errors")

    assert survey.problems() == {}

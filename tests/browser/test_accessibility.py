"""axe-core (WCAG 2.2 A and AA rules) on every main screen, in Chromium."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from participants.models import Participant
from tests.browser.steps import sign_in
from trackers.models import Tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def violations(page: Page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def test_main_screens_have_no_axe_violations(page: Page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    participant = Participant.objects.filter(team__name="North", trackers__isnull=False).first()
    tracker = participant.trackers.first()
    page.goto("/")
    found = {"sign in": violations(page)}
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("tracker-demo")
    page.get_by_role("button", name="Sign in").click()
    for name, url in [
        ("participants", "/participants/?q=a"),
        ("profile", f"/participants/{participant.pk}/"),
        ("trackers", f"/participants/{participant.pk}/trackers/"),
        ("tracker", f"/participants/{participant.pk}/trackers/{tracker.pk}/"),
        ("create tracker", f"/participants/{participant.pk}/trackers/new/"),
        ("add participant", "/participants/new/"),
        ("organisations", "/organisations/"),
        ("add organisation", "/organisations/new/"),
        ("milestones", "/milestones/"),
        ("forecast", "/milestones/forecast/"),
        ("programme builder", "/milestones/programmes/1/"),
    ]:
        page.goto(url)
        found[name] = violations(page)
    page.goto(f"/participants/{participant.pk}/trackers/new/")
    page.get_by_role("button", name="Create", exact=True).click()
    found["create tracker with errors"] = violations(page)
    page.get_by_role("link", name="Add a new organisation").click()
    page.get_by_role("dialog").get_by_role("button", name="Find address").first.click()
    found["organisation dialog"] = violations(page)
    for name, url in [
        ("caseloads", "/reviews/caseload/"),
        ("ready to claim", "/reviews/ready-to-claim/"),
        ("QA samples", "/reviews/samples/"),
    ]:
        page.goto(url)
        found[name] = violations(page)
    page.get_by_label("Percentage to sample").fill("10")
    page.get_by_role("button", name=re.compile("Draw")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("QA sample")
    found["QA sample"] = violations(page)
    sign_in(page, "compliance")
    in_review = Tracker.objects.filter(status="in_review", assignee__username="compliance").first()
    for name, url in [
        ("review queue", "/reviews/"),
        ("review queue, decided", "/reviews/?tab=decided"),
        ("review page", f"/reviews/trackers/{in_review.pk}/"),
    ]:
        page.goto(url)
        found[name] = violations(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    found["review page with errors"] = violations(page)

    assert {name: problems for name, problems in found.items() if problems} == {}

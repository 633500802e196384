"""No page scrolls sideways on a 320 px screen (a wide table scrolls inside its own box),
for every role's main pages, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from participants.models import Participant
from tests.browser.steps import sign_in
from trackers.models import Tracker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflowing(browser: Browser, live_server, username: str, urls: list[str]) -> dict:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, username)
    wide = {}
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[url] = width
    context.close()
    return wide


def test_no_page_scrolls_sideways_at_320_px(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tracker = Tracker.objects.filter(status="in_review", assignee__username="compliance").first()
    participant = tracker.participant
    administrator = [
        "/participants/?q=a",
        f"/participants/{participant.pk}/",
        f"/participants/{participant.pk}/trackers/",
        f"/participants/{participant.pk}/trackers/{tracker.pk}/",
        f"/participants/{participant.pk}/trackers/new/",
        "/organisations/",
        "/organisations/new/",
        "/milestones/",
        "/milestones/forecast/",
    ]
    supervisor = [
        "/milestones/programmes/",
        "/milestones/programmes/1/",
        "/reviews/caseload/",
        "/reviews/ready-to-claim/",
        "/reviews/samples/",
    ]
    compliance = ["/reviews/", "/reviews/?tab=decided", f"/reviews/trackers/{tracker.pk}/"]

    wide = (
        overflowing(browser, live_server, "admin", administrator)
        | overflowing(browser, live_server, "supervisor", supervisor)
        | overflowing(browser, live_server, "compliance", compliance)
    )

    assert wide == {}
    assert Participant.objects.count() == 200

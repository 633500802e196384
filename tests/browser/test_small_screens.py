"""No page scrolls sideways on a 320 px screen, nor in a 1280 px window zoomed to 200 %
(640 CSS px, each twice the size), for every role's main pages, in Chromium: a wide table
scrolls inside its own box."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from participants.models import Participant
from programmes.models import Programme
from tests.browser.steps import sign_in
from trackers.models import Tracker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A phone; and a 1280 x 900 window at 200 % zoom, which lays pages out in 640 x 450 CSS px.
SCREENS = {
    "320 px": {"viewport": {"width": 320, "height": 640}},
    "200 % zoom": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}


def overflowing(browser: Browser, live_server, screen: dict, username: str, urls: list[str]):
    context = browser.new_context(base_url=live_server.url, **screen)
    page = context.new_page()
    sign_in(page, username)
    wide = {}
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > screen["viewport"]["width"]:
            wide[url] = width
    context.close()
    return wide


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_no_page_scrolls_sideways(browser, live_server, settings, tmp_path, screen):
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
        f"/milestones/programmes/{Programme.objects.first().pk}/",
        "/reviews/caseload/",
        "/reviews/ready-to-claim/",
        "/reviews/samples/",
    ]
    compliance = ["/reviews/", "/reviews/?tab=decided", f"/reviews/trackers/{tracker.pk}/"]

    wide = (
        overflowing(browser, live_server, screen, "admin", administrator)
        | overflowing(browser, live_server, screen, "supervisor", supervisor)
        | overflowing(browser, live_server, screen, "compliance", compliance)
    )

    assert wide == {}
    assert Participant.objects.count() == 206  # with the DWP sample file's five and RS4-SE-0001

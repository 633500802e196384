"""The admin's trackers list past COUNT_LIMIT, in Chromium: the paginator says "More than
1,000" instead of a number it never counted, its links lead on page by page, and the
tracker form's participant is an autocomplete that finds a reference typed in lower case."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.factories import TrackerFactory, UserFactory
from tracker_site.management.commands.load_demo import DEFAULT_PASSWORD
from trackers.models import Tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ROWS = 1_050


@pytest.fixture
def many_trackers(db):
    template = TrackerFactory(participant__reference="RS424242")
    fields = [f for f in Tracker._meta.concrete_fields if not f.primary_key]
    Tracker.objects.bulk_create(
        Tracker(**{f.attname: getattr(template, f.attname) for f in fields})
        for _ in range(ROWS - 1)
    )
    return template


def test_admin_trackers_list_says_more_than_the_limit_and_pages_on(page, many_trackers):
    UserFactory(username="root", is_staff=True, is_superuser=True, password=DEFAULT_PASSWORD)
    sign_in(page, "root")

    page.goto("/admin/trackers/tracker/?q=warehouse")

    expect(page.locator("#changelist-search")).to_contain_text("More than 1,000 results")
    paginator = page.locator("nav.paginator")
    expect(paginator).to_contain_text("More than 1,000 trackers")
    # 1,001 counted rows fill eleven pages of 100; more may follow. (The admin's page
    # links are links with the role of a button.)
    expect(paginator.get_by_role("button", name="11", exact=True)).to_be_visible()
    expect(paginator).to_contain_text("…")
    if os.environ.get("ADMIN_SCREENSHOT"):
        page.screenshot(path=os.environ["ADMIN_SCREENSHOT"])
        paginator.screenshot(path=os.environ["ADMIN_SCREENSHOT"].replace(".png", "-pages.png"))

    paginator.get_by_role("button", name="11", exact=True).click()

    expect(page.locator("#result_list tbody tr")).to_have_count(ROWS - 1000)
    # The last page: no link on to a twelfth.
    expect(
        page.locator("nav.paginator").get_by_role("button", name="12", exact=True)
    ).to_have_count(0)


def test_admin_tracker_form_finds_the_participant_by_reference(page, many_trackers):
    UserFactory(username="root", is_staff=True, is_superuser=True, password=DEFAULT_PASSWORD)
    sign_in(page, "root")

    page.goto(f"/admin/trackers/tracker/{many_trackers.pk}/change/")
    page.locator("#id_participant").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("rs424242")

    expect(page.locator(".select2-results__option")).to_have_text([str(many_trackers.participant)])

"""Steps every browser test takes, written once."""

import datetime

from playwright.sync_api import Locator, Page

from tracker_site.management.commands.load_demo import DEFAULT_PASSWORD


def sign_in(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in from the sign-in page; the page then shows the participant grid."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page: Page) -> None:
    """Sign out from the header, and wait for the sign-in page it leads to: going on
    before it has loaded can cancel the sign-out on its way."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def fill_date(scope: Page | Locator, legend: str, date: datetime.date) -> None:
    """Type a date into the GOV.UK date input whose fieldset has this legend."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))

"""Paging through the Milestones list and the participant grid by their Next and
Previous links (keyset cursors), with JavaScript on and off."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.steps import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def rows_shown(page: Page) -> list[str]:
    return page.locator("tbody tr").all_inner_texts()


@pytest.mark.parametrize("page", [True, False], indirect=True, ids=["js", "no-js"])
@pytest.mark.parametrize(
    ("path", "results"),
    [("/milestones/?when=any", "#milestone-results"), ("/participants/", "#participant-results")],
    ids=["milestones", "grid"],
)
def test_paging_forward_and_back_keeps_the_order(page: Page, settings, path, results, tmp_path):
    settings.PAGE_SIZE = 5
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sign_in(page, "admin")
    page.goto(path)
    first = rows_shown(page)
    pages = page.locator(results).get_by_role("navigation", name="Pages")

    pages.get_by_role("link", name="Next page").click()
    expect(pages).to_contain_text("Page 2")
    second = rows_shown(page)
    page.screenshot(path=tmp_path / "second.png", full_page=True)
    pages.get_by_role("link", name="Previous page").click()
    expect(pages).to_contain_text("Page 1")

    assert len(first) == len(second) == 5
    assert not set(first) & set(second)
    assert rows_shown(page) == first
    assert "after=" not in page.url and "before=" in page.url
    expect(pages.get_by_role("link", name="Previous page")).to_have_count(0)

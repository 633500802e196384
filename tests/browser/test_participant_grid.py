import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from participants.models import Participant
from tests.browser.steps import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_admin_searches_the_grid_and_opens_a_profile_from_the_row_menu(page: Page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    target = Participant.objects.filter(team__name="North").order_by("reference")[7]
    other_team = Participant.objects.filter(team__name="South").first()

    sign_in(page, "admin")
    expect(page.get_by_role("heading", name="Participants")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Team: North")
    page.get_by_label("Search").fill(target.reference.lower())

    results = page.locator("#participant-results tbody tr")
    expect(results).to_have_count(1)
    # The count is announced (a status region outside the refreshed results), and focus
    # stays in the search box.
    expect(page.get_by_role("status").filter(has_text="found")).to_have_text("1 participant found")
    expect(page.get_by_label("Search")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"q={target.reference.lower()}"))
    page.get_by_text(re.compile(r"^Menu")).click()
    page.get_by_role("link", name="Profile").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(target.full_name)
    expect(page.get_by_text(target.nino_display)).to_be_visible()
    page.goto(f"/participants/{other_team.pk}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

"""The tracker form's employer picker. With JavaScript: one combobox that searches the
Confirmed employers as you type, and offers to add the one typed. Without: the select of
the first employers and a Find button that lists those matching, keeping what was typed."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from organisations.models import Organisation
from participants.models import Participant
from tests.browser.steps import fill_date, sign_in
from trackers.models import Tracker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def participant(settings, tmp_path) -> Participant:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Participant.objects.filter(team__name="North", trackers__isnull=True).order_by(
        "reference"
    )[0]


def fill_the_job(page: Page) -> None:
    page.get_by_label("Description (job title)").fill("Baker")
    fill_date(page, "Employment start date", datetime.date(2025, 6, 2))
    page.get_by_label("Weekly working hours").fill("20")
    page.get_by_label("Hourly rate of pay (£)").fill("12.71")


def test_typing_finds_an_employer_and_choosing_it_sets_the_job_s_employer(page: Page, participant):
    bakery = Organisation.objects.get(name="Harbour Street Bakery")
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/trackers/new/")
    fill_the_job(page)

    box = page.get_by_role("combobox", name="Organisation")
    expect(page.get_by_label("Find an employer")).to_be_hidden()
    box.fill("harb")
    suggestions = page.locator("#id_organisation__listbox").get_by_role("option")
    expect(suggestions).to_have_text(
        ["Harbour Street Bakery Whitby, YO21 3PU", "+ Add “harb” as a new organisation"]
    )
    page.keyboard.press("ArrowDown")
    expect(suggestions.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_have_value("Harbour Street Bakery")
    expect(page.locator("#id_organisation-select")).to_have_value(str(bakery.pk))
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.locator(".notices")).to_contain_text("Tracker created: Baker.")
    assert Tracker.objects.get(participant=participant).organisation == bakery


def test_typing_again_unchooses_the_employer_until_one_is_chosen(page: Page, participant):
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/trackers/new/")
    fill_the_job(page)
    box = page.get_by_role("combobox", name="Organisation")
    box.fill("harb")
    page.get_by_role("option", name="Harbour Street Bakery Whitby, YO21 3PU").click()
    box.fill("Harbour Street Bake")

    expect(page.locator("#id_organisation-select")).to_have_value("")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the employer: a job needs one.")
    assert not Tracker.objects.filter(participant=participant).exists()


def test_an_employer_not_found_is_added_from_the_combobox_with_the_name_typed(
    page: Page, participant
):
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/trackers/new/")
    fill_the_job(page)
    box = page.get_by_role("combobox", name="Organisation")
    box.fill("Zest Juice Bar")
    page.get_by_role("option", name="+ Add “Zest Juice Bar” as a new organisation").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("group", name="Organisation").get_by_label("Name")).to_have_value(
        "Zest Juice Bar"
    )
    dialog.get_by_role("button", name="Add organisation").click()
    expect(dialog).to_be_hidden()
    added = Organisation.objects.get(name="Zest Juice Bar")
    expect(page.get_by_role("combobox", name="Organisation")).to_have_value("Zest Juice Bar")
    expect(page.locator("#id_organisation-select")).to_have_value(str(added.pk))
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.locator(".notices")).to_contain_text("Tracker created: Baker.")
    assert Tracker.objects.get(participant=participant).organisation == added
    assert added.status == Organisation.Status.CONFIRMED


@pytest.mark.parametrize("page", [False], ids=["no-js"], indirect=True)
def test_without_javascript_find_lists_the_matching_employers_and_keeps_the_form(
    page: Page, participant
):
    bakery = Organisation.objects.get(name="Harbour Street Bakery")
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/trackers/new/")
    fill_the_job(page)

    page.get_by_label("Find an employer").fill("harbour")
    page.get_by_role("button", name="Find", exact=True).click()

    select = page.get_by_label("Organisation", exact=True)
    expect(select.locator("option")).to_have_text(["Choose…", "Harbour Street Bakery"])
    expect(page.get_by_label("Description (job title)")).to_have_value("Baker")
    expect(page.get_by_label("Weekly working hours")).to_have_value("20")
    expect(page.get_by_role("alert")).to_have_count(0)
    select.select_option(label="Harbour Street Bakery")
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.locator(".notices")).to_contain_text("Tracker created: Baker.")
    assert Tracker.objects.get(participant=participant).organisation == bakery

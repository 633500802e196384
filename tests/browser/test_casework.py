"""The pages whose save moves a participant's milestones, walked in Chromium with
JavaScript on and off: edit a job, end it, move the participant's programme start, and
change the programme's milestones; each time the milestones shown change with it."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from participants.models import Participant
from tests.browser.steps import fill_date, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JAVASCRIPT = pytest.mark.parametrize("page", [True, False], indirect=True, ids=["js", "no-js"])


@pytest.fixture
def participant(settings, tmp_path) -> Participant:
    """A North participant of the demo with one current job, started 100 days ago, of 16
    hours a week at £12.21: the first milestone reached 9 days ago, the second due in 82."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    participant = Participant.objects.filter(
        team__name="North", trackers__end_date__isnull=True
    ).order_by("reference")[0]
    participant.trackers.update(
        start_date=datetime.date.today() - datetime.timedelta(days=100),
        weekly_hours=16,
        hourly_rate="12.21",
    )
    call_command("recalculate_milestones", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return participant


def projected_dates(page: Page) -> list[str]:
    """Each milestone's projected date (ISO), or what is shown when it has none, once the
    page that holds them has loaded (a click that navigates returns before it has)."""
    expect(page.locator("#participant-milestones tbody tr").first).to_be_visible()
    cells = page.locator("#participant-milestones tbody tr td:nth-child(4)")
    return [
        cell.locator("time").get_attribute("datetime") if cell.locator("time").count() else
        cell.inner_text().strip()
        for cell in cells.all()
    ]  # fmt: skip


def statuses(page: Page) -> list[str]:
    return page.locator("#participant-milestones tbody tr td:nth-child(6)").all_inner_texts()


@JAVASCRIPT
def test_editing_and_ending_a_job_moves_the_milestones(page: Page, participant, tmp_path):
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/trackers/")
    before = projected_dates(page)
    page.get_by_role("link", name=participant.trackers.get().description).click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Weekly working hours").fill("37.5")
    page.get_by_label("Hourly rate of pay (£)").fill("14.00")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".notices")).to_contain_text("Tracker saved.")
    page.screenshot(path=tmp_path / "edited.png")
    page.get_by_role("link", name="Trackers").first.click()
    edited = projected_dates(page)

    page.get_by_role("link", name=participant.trackers.get().description).click()
    page.get_by_role("link", name="End job").click()
    # 21 days of work at £525 a week: £1,575, short of both milestones.
    fill_date(page, "End date", datetime.date.today() - datetime.timedelta(days=80))
    page.get_by_role("button", name="End job").click()
    expect(page.locator(".notices")).to_contain_text("The job has ended")
    page.get_by_role("link", name="Trackers").first.click()
    ended = projected_dates(page)

    assert len(edited) == 2
    assert all(after < earlier for after, earlier in zip(edited, before, strict=True))
    assert ended == ["Not reachable on current jobs"] * 2


@JAVASCRIPT
def test_a_new_programme_start_moves_the_milestones(page: Page, participant):
    sign_in(page, "admin")
    page.goto(f"/participants/{participant.pk}/")
    before = (projected_dates(page), statuses(page))

    page.goto(f"/participants/{participant.pk}/edit/")
    # The outcome window (638 days) now ends in 8 days, before the second milestone.
    fill_date(page, "Programme start date", datetime.date.today() - datetime.timedelta(days=630))
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".notices")).to_contain_text("was updated")
    assert before[1] == ["Achieved", "Projected"]
    assert (projected_dates(page), statuses(page)) == (before[0], ["Achieved", "At risk"])


@JAVASCRIPT
def test_a_supervisor_changing_the_milestones_recalculates_everyone(page: Page, participant):
    sign_in(page, "supervisor")
    page.get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name=re.compile("DWP Restart")).first.click()

    page.locator("input[name='milestones-1-amount']").fill("3000.00")
    page.get_by_role("button", name="Save and recalculate").click()

    expect(page.locator(".notices")).to_contain_text("Milestones recalculated for 206")
    page.goto(f"/participants/{participant.pk}/")
    amounts = page.locator("#participant-milestones tbody tr td:nth-child(2)").all_inner_texts()
    assert amounts == ["£2,539.68", "£3,000.00"]

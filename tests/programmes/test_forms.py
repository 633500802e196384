from decimal import Decimal

import pytest

from programmes.forms import (
    AmountHelperForm,
    FinancialMilestoneForm,
    MilestoneFormSet,
    ProgrammeForm,
)
from programmes.models import Programme
from programmes.services import MilestoneEntry
from tests.factories import FinancialMilestoneFactory, RestartProgrammeFactory

pytestmark = pytest.mark.django_db

CHANGED_MEANWHILE = (
    "Someone else changed these milestones while you were editing them, so nothing was "
    "saved. Open the programme again to see the latest milestones."
)
NOT_INCREASING = (
    "Each milestone's amount must be larger than the one before it: they are cumulative "
    "earnings since the participant started."
)


def programme_form(**overrides) -> ProgrammeForm:
    data = {
        "name": "DWP Restart – CPA 9",
        "start_date": "2021-07-01",
        "end_date": "",
        "outcome_window_days": "638",
        "milestones_enabled": "on",
        "scheme": "dwp_restart",
    } | overrides
    return ProgrammeForm({key: value for key, value in data.items() if value is not None})


def test_programme_form_accepts_a_restart_programme():
    form = programme_form()

    assert form.errors == {}


def test_programme_form_with_milestones_on_needs_a_scheme():
    form = programme_form(scheme="")

    assert form.errors == {"scheme": ["Choose the milestone scheme, or turn milestones off."]}


def test_programme_form_with_milestones_off_needs_no_scheme():
    form = programme_form(milestones_enabled=None, scheme="")

    assert form.errors == {}


def test_programme_form_refuses_an_end_before_the_start():
    form = programme_form(end_date="2021-06-30")

    assert form.errors["end_date"] == ["The end date cannot be before the start date."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the programme name."),
        ("name", "P" * 201, "Programme name must be 200 characters or fewer."),
        ("start_date", "", "Enter the start date."),
        ("outcome_window_days", "", "Enter the outcome window in days."),
        (
            "outcome_window_days",
            "six hundred",
            "Enter the outcome window as a whole number of days, like 638.",
        ),
        (
            "outcome_window_days",
            "1" * 25,
            "Enter a shorter outcome window (DWP Restart's is 638 days).",
        ),
        ("scheme", "dwp_work_programme", "Choose a milestone scheme from the list."),
    ],
)
def test_programme_form_says_what_to_enter(field, value, message):
    form = programme_form(**{field: value})

    assert form.errors[field] == [message]


def test_programme_form_refuses_another_programmes_name():
    RestartProgrammeFactory(name="DWP Restart – CPA 9")

    form = programme_form()

    assert form.errors["name"] == ["Another programme already has this name."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the milestone name."),
        ("name", "M" * 101, "Milestone name must be 100 characters or fewer."),
        ("amount", "", "Enter the amount."),
        ("amount", "a thousand", "Enter the amount as a number, like 1000.00."),
        ("amount", "100000000", "Enter an amount of less than £100,000,000."),
        ("amount", "1000.001", "Enter the amount in pounds and pence, like 1000.00."),
    ],
)
def test_financial_milestone_form_says_what_to_enter(field, value, message):
    data = {"name": "Job outcome", "amount": "1000"} | {field: value}

    form = FinancialMilestoneForm(data)

    assert form.errors[field] == [message]


@pytest.mark.parametrize("amount", ["0", "0.00", "-1"])
def test_financial_milestone_form_refuses_amounts_of_zero_or_less(amount):
    form = FinancialMilestoneForm({"name": "Job outcome", "amount": amount})

    assert form.errors == {"amount": ["Enter an amount greater than £0."]}


def milestone_formset(rows, *, programme=None) -> MilestoneFormSet:
    """Bind the formset as the programme builder posts it; rows with an id come first."""
    data = {
        "milestones-TOTAL_FORMS": str(len(rows)),
        "milestones-INITIAL_FORMS": str(sum(1 for row in rows if "id" in row)),
    }
    for index, row in enumerate(rows):
        data |= {f"milestones-{index}-{key}": value for key, value in row.items()}
    return MilestoneFormSet(data, instance=programme or Programme(), prefix="milestones")


@pytest.mark.parametrize(
    ("amounts", "errors"),
    [
        (["1000", "4759.04"], []),
        (["1000", "1000.01"], []),
        (["1000", "1000"], [NOT_INCREASING]),
        (["4759.04", "1000"], [NOT_INCREASING]),
        (["1000", "2000", "1500"], [NOT_INCREASING]),
    ],
)
def test_milestone_formset_amounts_must_increase(amounts, errors):
    formset = milestone_formset([{"name": "M", "amount": amount} for amount in amounts])

    formset.is_valid()

    assert formset.non_form_errors() == errors


def test_milestone_formset_ignores_blank_rows_and_removed_ones():
    programme = RestartProgrammeFactory()
    removed = FinancialMilestoneFactory(programme=programme, position=1, amount=5000)

    formset = milestone_formset(
        [
            {"id": removed.pk, "name": "Old", "amount": "5000", "DELETE": "on"},
            {"name": "First pay", "amount": "1000"},
            {"name": "", "amount": ""},
        ],
        programme=programme,
    )

    assert formset.is_valid(), formset.errors
    assert [form.cleaned_data.get("name") for form in formset.forms] == ["Old", "First pay", None]


def test_milestone_formset_entries_are_the_kept_milestones_in_order():
    programme = RestartProgrammeFactory()
    kept = FinancialMilestoneFactory(programme=programme, position=1, amount=1000)
    removed = FinancialMilestoneFactory(programme=programme, position=2, amount=3000)
    formset = milestone_formset(
        [
            {"id": kept.pk, "name": "Lower earnings", "amount": "1000"},
            {"id": removed.pk, "name": "Old", "amount": "3000", "DELETE": "on"},
            {"name": "Job outcome", "amount": "2000"},
            {"name": "", "amount": ""},
        ],
        programme=programme,
    )
    assert formset.is_valid(), formset.errors

    entries = formset.entries()

    assert entries == [
        MilestoneEntry(pk=kept.pk, name="Lower earnings", amount=Decimal("1000")),
        MilestoneEntry(pk=None, name="Job outcome", amount=Decimal("2000")),
    ]


def test_milestone_formset_refuses_more_than_ten_milestones():
    formset = milestone_formset([{"name": f"M{n}", "amount": str(n)} for n in range(1, 12)])

    formset.is_valid()

    assert formset.non_form_errors() == ["Enter no more than 10 financial milestones."]


def test_milestone_formset_names_what_a_row_is_missing():
    formset = milestone_formset([{"name": "", "amount": "1000"}, {"name": "Job outcome"}])

    formset.is_valid()

    assert formset.errors == [
        {"name": ["Enter the milestone name."]},
        {"amount": ["Enter the amount."]},
    ]


def test_milestone_formset_refuses_milestones_added_since_loading():
    programme = RestartProgrammeFactory()
    shown = FinancialMilestoneFactory(programme=programme, position=1, amount=1000)
    FinancialMilestoneFactory(programme=programme, position=2, amount=2000)

    formset = milestone_formset(
        [{"id": shown.pk, "name": "First pay", "amount": "1000"}], programme=programme
    )

    assert formset.is_valid() is False
    assert formset.non_form_errors() == [CHANGED_MEANWHILE]


@pytest.mark.parametrize(
    ("on", "suggestion"),
    [
        (
            "2025-04-01",
            "£5,079.36: 16 hours × 26 weeks at £12.21 an hour (National Living Wage (21+), from 1 April 2025).",
        ),
        (
            "2025-03-31",
            "£4,759.04: 16 hours × 26 weeks at £11.44 an hour (National Living Wage (21+), from 1 April 2024).",
        ),
        (
            "2016-04-01",
            "£2,995.20: 16 hours × 26 weeks at £7.20 an hour (National Living Wage (25+), from 1 April 2016).",
        ),
        ("2016-03-31", "No National Living Wage on record for that date."),
        ("1999-04-01", "No National Living Wage on record for that date."),
    ],
)
def test_amount_helper_suggests_sixteen_hours_for_26_weeks_at_the_living_wage(on, suggestion):
    form = AmountHelperForm({"on": on})

    assert form.suggestion() == suggestion


def test_amount_helper_without_a_valid_date_suggests_nothing():
    form = AmountHelperForm({"on": "next Tuesday"})

    assert form.suggestion() is None

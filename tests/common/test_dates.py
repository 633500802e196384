"""The GOV.UK date input: three boxes, read leniently, checked with GOV.UK's messages."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms

from common.forms import DateField, DateInput


class Form(forms.Form):
    start = DateField(label="Start date")
    finish = DateField(label="Started on or before", required=False, noun="The latest start")
    born = DateField(
        label="Date of birth", widget=DateInput(autocomplete="bday", example="27 3 1985")
    )


def typed(day="", month="", year="", **others) -> Form:
    data = {"start_day": day, "start_month": month, "start_year": year}
    data |= {"born_day": "1", "born_month": "2", "born_year": "1990"}
    return Form(data | others)


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("2", "6", "2025", datetime.date(2025, 6, 2)),
        ("02", "06", "2025", datetime.date(2025, 6, 2)),
        (" 2 ", " 6 ", " 2025 ", datetime.date(2025, 6, 2)),
        ("2", "Jun", "2025", datetime.date(2025, 6, 2)),
        ("2", "june", "2025", datetime.date(2025, 6, 2)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_a_real_date_is_read_from_its_three_boxes(day, month, year, expected):
    form = typed(day, month, year)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the start date."),
        ("", "6", "2025", "Start date must include a day."),
        ("2", "", "", "Start date must include a month and year."),
        ("", "", "2025", "Start date must include a day and month."),
        ("2", "6", "25", "The year of the start date must include 4 numbers."),
        ("31", "2", "2025", "Start date must be a real date."),
        ("29", "2", "2025", "Start date must be a real date."),
        ("2", "13", "2025", "Start date must be a real date."),
        ("0", "6", "2025", "Start date must be a real date."),
        ("two", "6", "2025", "Start date must be a real date, in numbers, like 27 3 2026."),
        ("2", "6", "2025\x00", "Start date must be a real date, in numbers, like 27 3 2026."),
        ("²", "6", "2025", "Start date must be a real date, in numbers, like 27 3 2026."),
        ("2", "6", "99999999999999999999", "The year of the start date must include 4 numbers."),
    ],
)
def test_each_mistake_gets_govuk_s_message(day, month, year, message):
    form = typed(day, month, year)

    assert form.errors["start"] == [message]


def test_the_message_uses_the_noun_when_the_label_is_not_one():
    form = typed("2", "6", "2025", finish_day="31", finish_month="9", finish_year="2025")

    assert form.errors["finish"] == ["The latest start must be a real date."]


def test_an_iso_date_under_the_field_s_own_name_is_read_too():
    """Links (a filter's URL) and scripts send one value."""
    form = Form({"start": "2025-06-02", "born": "1990-02-01"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == datetime.date(2025, 6, 2)
    assert Form({"start": "not a date", "born": "1990-02-01"}).errors["start"] == [
        "Start date must be a real date."
    ]


def test_it_renders_three_labelled_numeric_boxes_in_a_fieldset_with_a_hint():
    html = Form(initial={"start": datetime.date(2025, 6, 2)}).as_div()

    assert '<legend class="field__label">Start date</legend>' in html
    assert "For example, 27 3 2026." in html
    assert "For example, 27 3 1985." in html
    assert html.count('inputmode="numeric"') == 9
    for part, value in (("day", "2"), ("month", "6"), ("year", "2025")):
        assert (
            f'<label class="date-input__label" for="id_start_{part}">' not in html
        )  # ids are numbered
        assert f'name="start_{part}"' in html
        assert f'value="{value}"' in html
    assert 'for="id_start_0">Day</label>' in html
    assert 'autocomplete="bday-year"' in html
    assert 'type="date"' not in html


def test_only_the_boxes_in_error_are_marked():
    html = typed("2", "", "2025").as_div()

    assert 'id="id_start_1" value="" class="date-input__month date-input--error"' in html or (
        'class="date-input__month date-input--error"' in html
    )
    assert 'class="date-input__day date-input--error"' not in html
    assert 'class="date-input__year date-input--error"' not in html
    assert 'aria-describedby="id_start_helptext id_start_error"' in html


def test_an_empty_required_date_marks_all_three_boxes():
    html = typed().as_div()

    for part in ("day", "month", "year"):
        assert f'class="date-input__{part} date-input--error"' in html


def test_the_value_typed_is_kept_when_the_form_is_shown_again():
    html = typed("31", "Feb", "2025").as_div()

    assert 'value="31"' in html
    assert 'value="Feb"' in html


def _project_forms():
    for app in (
        "common",
        "organisations",
        "programmes",
        "participants",
        "trackers",
        "milestones",
        "reviews",
    ):
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "migrations" in module_info.name or "management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_date_in_every_form_uses_the_govuk_date_input():
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
        and not (isinstance(field, DateField) and isinstance(field.widget, DateInput))
    ]

    assert list(_project_forms())
    assert plain == []

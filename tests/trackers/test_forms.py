import datetime

import pytest

from tests.factories import OrganisationFactory, ParticipantFactory, UserFactory
from trackers.forms import TrackerForm

pytestmark = pytest.mark.django_db


def bound(**overrides) -> TrackerForm:
    participant = ParticipantFactory(date_of_birth=datetime.date(1990, 5, 17))
    data = {
        "type": "job",
        "description": "Kitchen porter",
        "organisation": OrganisationFactory(status="confirmed").pk,
        "start_date": "2025-06-02",
        "weekly_hours": "20",
        "hourly_rate": "12.71",
    } | overrides
    return TrackerForm(data, participant=participant, user=UserFactory(role="Administrator"))


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("description", "", "Enter the job title."),
        ("start_date", "", "Enter the employment start date."),
        ("start_date", "31/02/2025", "Employment start date must be a real date."),
        ("weekly_hours", "", "Enter the weekly working hours."),
        ("weekly_hours", "abc", "Enter the weekly working hours as a number, like 37.5."),
        ("weekly_hours", "0", "Weekly hours must be more than 0 and no more than 100."),
        ("weekly_hours", "100.5", "Weekly hours must be more than 0 and no more than 100."),
        ("hourly_rate", "", "Enter the hourly rate of pay."),
        ("hourly_rate", "twelve", "Enter the hourly rate as an amount in pounds, like 12.71."),
        ("hourly_rate", "0", "The hourly rate must be more than £0."),
        ("hourly_rate", "12.715", "Enter the hourly rate in pounds and pence, like 12.71."),
    ],
)
def test_tracker_form_says_what_to_do_about_each_field(field, typed, message):
    form = bound(**{field: typed})

    assert form.errors[field] == [message]


def test_tracker_form_keeps_what_was_typed_in_hours_and_rate():
    form = bound(weekly_hours="abc", hourly_rate="twelve")

    html = str(form["weekly_hours"]) + str(form["hourly_rate"])

    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="abc"' in html and 'value="twelve"' in html


def test_tracker_form_rate_hint_is_not_below_the_legal_minimum():
    form = bound()

    assert form.fields["hourly_rate"].help_text == "In pounds, for example 12.71."

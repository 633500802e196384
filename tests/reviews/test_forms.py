import pytest
from django.contrib.auth import get_user_model

from participants.models import Team
from reviews.forms import DecisionForm, QueueFilterForm, ReassignForm
from reviews.models import ReviewReason
from tests.factories import TrackerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("team", "999999", "Choose a team from the list."),
        ("programme", "999999", "Choose a programme from the list."),
        ("type", "apprenticeship", "Choose a type from the list."),
        ("employer", "E" * 201, "Employer must be 200 characters or fewer."),
        ("waiting", "a week", "Enter a number of days, like 30."),
        ("waiting", "-1", "Enter a number of days from 0 to 3650."),
        ("waiting", "3651", "Enter a number of days from 0 to 3650."),
        ("sort", "newest", "Choose an order from the list."),
    ],
)
def test_queue_filter_form_says_what_a_link_got_wrong(north, field, value, message):
    form = QueueFilterForm({field: value}, teams=Team.objects.filter(pk=north.pk))

    assert form.errors[field] == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("outcome", "", "Choose a decision."),
        ("outcome", "postponed", "Choose Approve, Reject or Request information."),
        ("reason", "999999", "That reason is no longer used: choose another."),
        ("note", "n" * 4001, "Note must be 4000 characters or fewer."),
    ],
)
def test_decision_form_says_what_to_enter(field, value, message):
    tracker = TrackerFactory()
    data = {"outcome": "approved", "loaded_version": "1"} | {field: value}

    form = DecisionForm(data, tracker=tracker)

    assert form.errors[field] == [message]


def test_decision_form_retired_reason_gets_one_message():
    tracker = TrackerFactory()
    retired = ReviewReason.objects.get(code="evidence_missing")
    retired.active = False
    retired.save()
    data = {"outcome": "rejected", "reason": str(retired.pk), "loaded_version": "1"}

    form = DecisionForm(data, tracker=tracker)

    assert form.errors["reason"] == ["That reason is no longer used: choose another."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("from_reviewer", "", "Choose the reviewer whose open trackers to move."),
        ("from_reviewer", "999999", "Choose a reviewer from the list."),
        ("to_reviewer", "999999", "Choose a reviewer from the list."),
    ],
)
def test_reassign_form_says_what_to_choose(field, value, message):
    reviewer = UserFactory(username="reviewer")
    data = {"from_reviewer": str(reviewer.pk), "to_reviewer": ""} | {field: value}

    form = ReassignForm(data, reviewers=get_user_model().objects.all())

    assert form.errors[field] == [message]

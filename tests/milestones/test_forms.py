import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from milestones.forms import ClaimForm, MilestoneFilterForm
from milestones.models import ParticipantMilestone
from participants.models import Team
from tests.factories import ParticipantMilestoneFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [milestone.participant.last_name for milestone in queryset.order_by("pk")]


def test_milestone_filter_form_ignores_invalid_criteria_and_applies_the_rest(north, south):
    today = timezone.localdate()
    ParticipantMilestoneFactory(participant__last_name="North", participant__team=north)
    ParticipantMilestoneFactory(participant__last_name="South", participant__team=south)
    ParticipantMilestoneFactory(
        participant__last_name="Achieved",
        participant__team=north,
        status=ParticipantMilestone.Status.ACHIEVED,
        projected_date=today,
    )
    form = MilestoneFilterForm(
        {"team": south.pk, "status": "projected", "due_within": "soon"},
        teams=Team.objects.filter(pk=north.pk),
    )

    filtered = form.filter(ParticipantMilestone.objects.all(), today=today)

    assert set(form.errors) == {"team", "due_within"}
    assert names(filtered) == ["North", "South"]


@pytest.mark.parametrize(("within", "expected"), [("0", ["Today"]), ("1", ["Today", "Tomorrow"])])
def test_milestone_filter_form_due_within_counts_days_from_today(north, within, expected):
    today = datetime.date(2025, 6, 2)
    for name, day in [("Yesterday", 1), ("Today", 2), ("Tomorrow", 3), ("Later", 4)]:
        ParticipantMilestoneFactory(
            participant__last_name=name, projected_date=datetime.date(2025, 6, day)
        )
    form = MilestoneFilterForm({"due_within": within}, teams=Team.objects.all())

    filtered = form.filter(ParticipantMilestone.objects.all(), today=today)

    assert names(filtered) == expected


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"claim_status": "paid"}, {"paid_date": ["Enter the date it was paid."]}),
        ({"claim_status": "paid", "paid_date": "2025-11-20"}, {}),
        ({"claim_status": "claimed", "payment_reference": "DWP-1"}, {}),
        (
            {"claim_status": "sold"},
            {"claim_status": ["Choose a claim status from the list."]},
        ),
    ],
)
def test_claim_form_needs_the_paid_date_when_paid(data, errors):
    form = ClaimForm(data, instance=ParticipantMilestoneFactory.build(amount=Decimal("1000")))

    assert form.errors == errors


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("claim_status", "", "Choose the claim status."),
        ("payment_reference", "D" * 101, "Payment reference must be 100 characters or fewer."),
    ],
)
def test_claim_form_says_what_to_enter(field, value, message):
    data = {"claim_status": "claimed"} | {field: value}

    form = ClaimForm(data, instance=ParticipantMilestoneFactory.build(amount=Decimal("1000")))

    assert form.errors[field] == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "lost", "Choose a status from the list."),
        ("claim_status", "sold", "Choose a claim status from the list."),
        ("programme", "999999", "Choose a programme from the list."),
        ("team", "999999", "Choose a team from the list."),
    ],
)
def test_milestone_filter_form_says_what_a_link_got_wrong(north, field, value, message):
    form = MilestoneFilterForm({field: value}, teams=Team.objects.filter(pk=north.pk))

    assert form.errors[field] == [message]

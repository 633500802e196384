import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programmes.models import FinancialMilestone, Programme
from programmes.services import MilestoneEntry, save_programme
from tests.factories import FinancialMilestoneFactory, RestartProgrammeFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "DWP Restart – CPA 9",
    "start_date": datetime.date(2021, 7, 1),
    "end_date": None,
    "outcome_window_days": 638,
    "milestones_enabled": True,
    "scheme": Programme.Scheme.DWP_RESTART,
}


def milestones_of(programme: Programme) -> list[tuple[int, str, Decimal]]:
    return list(
        programme.financial_milestones.order_by("position").values_list(
            "position", "name", "amount"
        )
    )


def test_save_programme_creates_the_programme_with_its_milestones_in_order():
    entries = [
        MilestoneEntry(pk=None, name="Lower earnings", amount=Decimal("2539.68")),
        MilestoneEntry(pk=None, name="Job outcome", amount=Decimal("5079.36")),
    ]

    programme = save_programme(programme=None, details=DETAILS, milestones=entries)

    assert Programme.objects.get(pk=programme.pk).name == "DWP Restart – CPA 9"
    assert milestones_of(programme) == [
        (1, "Lower earnings", Decimal("2539.68")),
        (2, "Job outcome", Decimal("5079.36")),
    ]


def test_save_programme_updates_reorders_adds_and_deletes_milestones():
    programme = RestartProgrammeFactory()
    first = FinancialMilestoneFactory(programme=programme, position=1, name="A", amount=1000)
    second = FinancialMilestoneFactory(programme=programme, position=2, name="B", amount=2000)
    dropped = FinancialMilestoneFactory(programme=programme, position=3, name="C", amount=3000)

    save_programme(
        programme=programme,
        details={"outcome_window_days": 700},
        milestones=[
            MilestoneEntry(pk=second.pk, name="B", amount=Decimal("500")),
            MilestoneEntry(pk=first.pk, name="A again", amount=Decimal("1000")),
            MilestoneEntry(pk=None, name="New", amount=Decimal("4000")),
        ],
    )

    programme.refresh_from_db()
    assert programme.outcome_window_days == 700
    assert milestones_of(programme) == [
        (1, "B", Decimal("500.00")),
        (2, "A again", Decimal("1000.00")),
        (3, "New", Decimal("4000.00")),
    ]
    assert not FinancialMilestone.objects.filter(pk=dropped.pk).exists()


def test_save_programme_with_an_invalid_field_saves_nothing():
    programme = RestartProgrammeFactory(outcome_window_days=638)
    FinancialMilestoneFactory(programme=programme, position=1, name="A", amount=1000)

    with pytest.raises(ValidationError):
        save_programme(
            programme=programme,
            details={"outcome_window_days": 700},
            milestones=[MilestoneEntry(pk=None, name="Free", amount=Decimal("0"))],
        )

    programme.refresh_from_db()
    assert programme.outcome_window_days == 638
    assert milestones_of(programme) == [(1, "A", Decimal("1000.00"))]

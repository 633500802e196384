"""Fixtures of the milestone tests: a Restart programme with two milestones and a
participant on it."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    RestartProgrammeFactory,
)


@pytest.fixture
def restart():
    """DWP Restart with two financial milestones, £1,000 and £4,759.04."""
    programme = RestartProgrammeFactory()
    FinancialMilestoneFactory(programme=programme, position=1, name="First pay", amount=1000)
    FinancialMilestoneFactory(
        programme=programme, position=2, name="Job outcome", amount=Decimal("4759.04")
    )
    return programme


@pytest.fixture
def participant(restart):
    return ParticipantFactory(programme=restart, programme_start_date=datetime.date(2025, 1, 6))

"""Helpers of the milestone tests: jobs written straight to the database (nothing is
recalculated) and the stored milestones in a comparable shape."""

import datetime
from decimal import Decimal

from tests.factories import TrackerFactory
from trackers.models import Tracker


def job(participant, start, end=None, *, hours="16", rate="11.44", **fields) -> Tracker:
    """A tracker written straight to the database: nothing is recalculated."""
    return TrackerFactory(
        participant=participant,
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end) if end else None,
        weekly_hours=Decimal(hours),
        hourly_rate=Decimal(rate),
        **fields,
    )


def stored(participant) -> list[tuple]:
    return list(
        participant.milestones.order_by("kind", "amount").values_list(
            "name", "amount", "projected_date", "status", "weeks_left", "earned_to_date"
        )
    )

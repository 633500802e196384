"""Writes of programmes: a programme with its financial milestones, saved together."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from programmes.models import FinancialMilestone, Programme

# Kept milestones move here first, so that renumbering never collides with itself.
_PARKING_POSITION = 1000


@dataclass(frozen=True)
class MilestoneEntry:
    """One financial milestone as the builder shows it: an existing one (``pk``) or new."""

    pk: int | None
    name: str
    amount: Decimal


@transaction.atomic
def save_programme(
    *,
    programme: Programme | None,
    details: Mapping[str, object],
    milestones: Sequence[MilestoneEntry],
) -> Programme:
    """Create (``programme=None``) or update a programme and its financial milestones.

    ``details`` are the programme's own fields; ``milestones`` are every milestone it
    keeps, in order: they are numbered 1, 2, … in that order, existing ones are updated,
    new ones created, and the programme's other milestones deleted. All or nothing.
    """
    programme = programme or Programme()
    for name, value in details.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    existing = {milestone.pk: milestone for milestone in programme.financial_milestones.all()}
    kept = {entry.pk for entry in milestones if entry.pk}
    for pk, milestone in existing.items():
        if pk not in kept:
            milestone.delete()
    for offset, entry in enumerate(milestones):
        if entry.pk:
            existing[entry.pk].position = _PARKING_POSITION + offset
            existing[entry.pk].save(update_fields=["position"])
    for position, entry in enumerate(milestones, start=1):
        milestone = existing.get(entry.pk) or FinancialMilestone(programme=programme)
        milestone.position = position
        milestone.name = entry.name
        milestone.amount = entry.amount
        milestone.full_clean()
        milestone.save()
    return programme

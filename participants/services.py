"""Writes of participants added or changed one at a time (imports: ``participants.imports``).

A change of programme or programme start date moves the participant's milestones:
``milestones.services.update_participant`` makes that change and recalculates them.
"""

from django.db import transaction

from common.versions import lock_at_version
from participants.models import Participant


@transaction.atomic
def create_participant(**fields) -> Participant:
    """Save a new participant with these field values; returns it."""
    participant = Participant(**fields)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def update_participant(
    *, participant: Participant, loaded_version: int | None, **fields
) -> Participant:
    """Set these field values on the version of the participant the user loaded and save
    it; returns it. ChangedSinceLoaded if someone saved it since."""
    lock_at_version(participant, loaded_version)
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.full_clean()
    participant.save()
    return participant

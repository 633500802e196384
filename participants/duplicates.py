"""A participant added twice: caught, without telling the user about a record they may
not see.

A duplicate NI number or reference in the user's own teams is named as such. One held
in another team is refused with a message that says no more than that the value cannot
be used, and the staff who see every team are told by email (and the log records it),
so that a same person can be joined up, and someone probing for who is on the programme
is noticed.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from participants.access import participants_for, staff_who_see_every_team
from participants.models import Participant

logger = logging.getLogger(__name__)

SEEN = {
    "nino": "Another participant already has this National Insurance number.",
    "reference": "Another participant already has this reference.",
}
NOT_SEEN = {
    "nino": "This National Insurance number cannot be used. Check it; if it is right, ask a "
    "supervisor, who has been told.",
    "reference": "This reference cannot be used. Check it; if it is right, ask a supervisor, "
    "who has been told.",
}


def refuse_a_duplicate(*, field: str, value: str, instance: Participant, user) -> None:
    """Raise a ValidationError when another participant already has this ``field``
    (``"nino"`` or ``"reference"``) value; tell supervisors when the user may not see them."""
    other = Participant.objects.exclude(pk=instance.pk).filter(**{field: value}).first()
    if other is None:
        return
    if participants_for(user).filter(pk=other.pk).exists():
        raise ValidationError(SEEN[field], code="unique")
    _tell_supervisors(field=field, other=other, user=user)
    raise ValidationError(NOT_SEEN[field], code="unique")


def _tell_supervisors(*, field: str, other: Participant, user) -> None:
    name = {"nino": "National Insurance number", "reference": "reference"}[field]
    who = user.get_full_name() or user.username
    logger.warning(
        "User %s entered the %s of participant %s, outside their teams", user.pk, name, other.pk
    )
    addresses = sorted({staff.email for staff in staff_who_see_every_team() if staff.email})
    if not addresses:
        return
    body = (
        f"{who} tried to add or change a participant with the {name} of "
        f"{other.reference}, who is in {other.team}, a team they cannot see. They were told "
        "only that it cannot be used.\n\nCheck whether it is the same person (a transfer, "
        "or a referral made twice), or a mistake, and contact them if need be."
    )
    transaction.on_commit(
        lambda: send_mail(f"A participant's {name} was entered twice", body, None, addresses)
    )

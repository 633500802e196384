"""The reconciliation part of the demo (``manage.py load_demo``): five participants with
fixed dates, PO numbers for three, the notification types of the demo programme, and
the column mapping's PO prefix, so that the shipped sample file
(tracker_site/demo/dwp-notifications.csv) lands a row in every state. Safe to repeat."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings

from milestones.services import create_tracker
from organisations.models import Organisation
from participants.models import Participant, Team
from programmes.models import FinancialMilestone, Programme
from reconciliation.models import NotificationType, PrapReference
from reconciliation.services import standard_mapping

SAMPLE_FILE = settings.BASE_DIR / "tracker_site" / "demo" / "dwp-notifications.csv"
PO_PREFIX = "PO-CPA4-"
START = datetime.date(2025, 1, 6)
# reference, first name, last name, date of birth, NINO, team, PO number, has a job
PARTICIPANTS = [
    ("RS4-DWP-001", "Nadia", "Brennan", datetime.date(1991, 2, 3), "ZY100001A", "North", "PO-CPA4-0001", True),
    ("RS4-DWP-002", "Owen", "Pritchard", datetime.date(1985, 7, 19), "ZY100002B", "North", "", True),
    ("RS4-DWP-003", "Leah", "Whitfield", datetime.date(1999, 11, 30), "ZY100003C", "South", "PO-CPA4-0003", True),
    ("RS4-DWP-004", "Callum", "Ferris", datetime.date(1979, 5, 8), "ZY100004D", "South", "PO-CPA4-0004", False),
    ("RS4-DWP-005", "Ruth", "Adebayo", datetime.date(1988, 3, 14), "ZY100005A", "North", "", True),
]  # fmt: skip
# DWP's wording → the demo programme's milestone position (None: self-employed outcome).
TYPES = {"Lower earnings reached": 1, "Earnings outcome": 2, "Self-employed outcome": None}


def load(programme: Programme, teams: dict[str, Team], created_by) -> int:
    """Set the demo up; returns how many participants it added."""
    mapping = standard_mapping()
    if not mapping.po_number_prefix:
        mapping.po_number_prefix = PO_PREFIX
        mapping.save(update_fields=["po_number_prefix"])
    for label, position in TYPES.items():
        milestone = (
            FinancialMilestone.objects.get(programme=programme, position=position)
            if position
            else None
        )
        NotificationType.objects.get_or_create(
            programme=programme,
            label=label,
            defaults={"financial_milestone": milestone, "self_employment": milestone is None},
        )
    employer = Organisation.objects.confirmed().by_name().first()
    added = 0
    for reference, first, last, born, nino, team, po_number, has_job in PARTICIPANTS:
        participant, created = Participant.objects.get_or_create(
            reference=reference,
            defaults={
                "first_name": first,
                "last_name": last,
                "date_of_birth": born,
                "nino": nino,
                "postcode": "BD21 3DE",
                "programme": programme,
                "programme_start_date": START,
                "team": teams[team],
            },
        )
        added += created
        if po_number:
            PrapReference.objects.get_or_create(participant=participant, po_number=po_number)
        if has_job:
            create_tracker(
                participant=participant,
                submission_token=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-dwp-{reference}"),
                created_by=created_by,
                description="Warehouse operative",
                organisation=employer,
                start_date=START + datetime.timedelta(days=14),
                weekly_hours=Decimal("30"),
                hourly_rate=Decimal("12.21"),
            )
    return added

"""A small world for reconciliation tests: a Restart programme with two earnings
milestones and the self-employed outcome, its notification types, and notification
files built from dicts."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from milestones.models import ParticipantMilestone
from reconciliation.models import NotificationType, PrapReference
from reconciliation.services import apply_import, preview_file, standard_mapping
from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
)

HEADINGS = [
    "po_number", "nino", "surname", "dob", "programme", "notification_type",
    "date_created", "notification_date", "amount_gbp", "payment_status", "remittance_ref",
]  # fmt: skip
START = datetime.date(2025, 1, 6)


@dataclass
class World:
    programme: object
    first: object  # £3,000 earnings
    outcome: object  # the earnings outcome
    mapping: object


def build_world(*, po_prefix: str = "") -> World:
    programme = RestartProgrammeFactory()
    first = FinancialMilestoneFactory(
        programme=programme, position=1, name="First milestone", amount=Decimal("3000")
    )
    outcome = FinancialMilestoneFactory(
        programme=programme, position=2, name="Job outcome", amount=Decimal("5079.36")
    )
    NotificationType.objects.create(
        programme=programme, label="£3,000 earnings", financial_milestone=first
    )
    NotificationType.objects.create(
        programme=programme, label="Earnings outcome", financial_milestone=outcome
    )
    NotificationType.objects.create(
        programme=programme, label="Self-employed outcome", self_employment=True
    )
    mapping = standard_mapping()
    mapping.po_number_prefix = po_prefix
    mapping.save()
    return World(programme=programme, first=first, outcome=outcome, mapping=mapping)


def participant_with_milestones(world: World, *, po_number: str = "", **kwargs):
    """A participant on the world's programme with projections of both earnings
    milestones (and a PO number on record when given)."""
    participant = ParticipantFactory(
        programme=world.programme, programme_start_date=START, **kwargs
    )
    for milestone, days in ((world.first, 120), (world.outcome, 200)):
        ParticipantMilestoneFactory(
            participant=participant,
            financial_milestone=milestone,
            name=milestone.name,
            projected_date=START + datetime.timedelta(days=days),
            status=ParticipantMilestone.Status.PROJECTED,
        )
    if po_number:
        PrapReference.objects.create(participant=participant, po_number=po_number)
    return participant


def notification(**values) -> dict[str, str]:
    """One row of a notification file, with any cells replaced."""
    return {
        "po_number": "",
        "nino": "",
        "surname": "",
        "dob": "",
        "programme": "DWP Restart – CPA 5",
        "notification_type": "£3,000 earnings",
        "date_created": "2025-05-10",
        "notification_date": "2025-05-02",
        "amount_gbp": "",
        "payment_status": "",
        "remittance_ref": "",
    } | values


def notification_csv(*rows: dict[str, str], headings=HEADINGS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def applied_unmatched_file(user):
    """An applied DWP file of one row that matches no one (a row of the work queue)."""
    return apply_import(
        preview_file(
            data=b"po_number,notification_type,date_created,notification_date\r\n"
            b"PO000001,Earnings outcome,2025-05-10,2025-05-02\r\n",
            file_name="rte.csv",
            mapping=standard_mapping(),
            uploaded_by=user,
        ),
        applied_by=user,
    )

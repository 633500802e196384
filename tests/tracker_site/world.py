"""The world the permission tests run in: two teams, and in the North team a participant
with everything that can hang off one, each named as the matrix's arguments name it.

The North participant's name, NI number, reference and job are found nowhere else, so a
page that shows any of them to someone outside North is a leak.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile

from jobs.models import Job
from milestones.models import ClaimAttempt, ParticipantMilestone
from organisations.models import Contact
from participants.imports import COLUMNS, start_import
from reconciliation.models import ImportedRow
from reviews.models import ClaimExport, QaSample, QaSampleItem, ReviewReason
from tests.factories import (
    AddressFactory,
    EvidenceDocumentFactory,
    FinancialMilestoneFactory,
    OrganisationFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
    TeamFactory,
    TrackerFactory,
    UserFactory,
)
from tests.reconciliation.helpers import applied_unmatched_file
from trackers.models import Tracker

FIRST_NAME, LAST_NAME = "Zebedee", "Quillfeather"
NINO = "JW482916D"
REFERENCE = "RS482916"
JOB = "Lighthouse keeper"
MARKS = (LAST_NAME, NINO, REFERENCE, JOB)

# The apps whose rows a refused request must leave as they were (their history too).
OUR_APPS = (
    "jobs", "organisations", "programmes", "participants", "trackers", "milestones",
    "reviews", "reconciliation",
)  # fmt: skip


def build_world() -> dict:
    """Create the teams, the users of every role and the North participant's objects."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    users = {
        "admin": UserFactory(username="admin", role="Administrator", teams=[north]),
        "other_admin": UserFactory(username="other", role="Administrator", teams=[south]),
        "compliance": UserFactory(username="compliance", role="Compliance officer", teams=[north]),
        "supervisor": UserFactory(username="supervisor", role="Supervisor"),
        "data_fix": UserFactory(username="datafix", role="Data fix", is_staff=True),
        "deactivated": UserFactory(username="gone", role="Administrator", teams=[north]),
    }
    programme = RestartProgrammeFactory()
    FinancialMilestoneFactory(programme=programme, position=1, name="Job outcome")
    participant = ParticipantFactory(
        team=north,
        programme=programme,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        nino=NINO,
        reference=REFERENCE,
    )
    ParticipantFactory(team=south, programme=programme, last_name="Southerner")
    organisation = OrganisationFactory(status="confirmed")
    tracker = TrackerFactory(
        participant=participant,
        organisation=organisation,
        description=JOB,
        status=Tracker.Status.IN_REVIEW,
        created_by=users["admin"],
        start_date=datetime.date(2025, 1, 6),
    )
    # An applied DWP file whose one row matched no one (the work queue's).
    notification_import = applied_unmatched_file(users["supervisor"])
    milestone = ParticipantMilestoneFactory(
        participant=participant, name="Job outcome", status=ParticipantMilestone.Status.VERIFIED
    )
    imported_row = notification_import.rows.get()
    # And a row of it that contradicts what the North participant's tracker holds.
    conflict_row = ImportedRow.objects.create(
        notification_import=notification_import,
        line=3,
        raw={"po_number": "PO000002"},
        po_number="PO000002",
        state=ImportedRow.State.CONFLICT,
        message="The notification is dated before the participant's start.",
        participant=participant,
    )
    sample = QaSample.objects.create(
        drawn_by=users["supervisor"], percent=Decimal(100), seed=1, population=1
    )
    return {
        **users,
        "north": north,
        "south": south,
        "programme": programme,
        "participant": participant,
        "organisation": organisation,
        "address": AddressFactory(organisation=organisation, is_primary=True),
        "contact": Contact.objects.create(
            organisation=organisation,
            name="Sam",
            email="sam@example.org",
            phone="+441134960000",
            owner=users["admin"],
        ),
        "tracker": tracker,
        "document": EvidenceDocumentFactory(tracker=tracker, uploaded_by=users["admin"]),
        "milestone": milestone,
        "claim_attempt": ClaimAttempt.objects.create(
            milestone=milestone,
            submitted_on=milestone.calculated_on,
            recorded_by=users["supervisor"],
        ),
        "participant_import": start_import(
            file_name="referrals.csv",
            content=",".join(COLUMNS) + "\r\n",
            uploaded_by=users["supervisor"],
        ),
        "claim_export": ClaimExport.objects.create(
            created_by=users["supervisor"],
            row_count=1,
            content=f"Participant reference,NINO\r\n{REFERENCE},{NINO}\r\n",
        ),
        "job": _done_export(users["admin"]),
        "notification_import": notification_import,
        "imported_row": imported_row,
        "conflict_row": conflict_row,
        "sample": sample,
        "sample_item": QaSampleItem.objects.create(sample=sample, tracker=tracker),
        "review_reason": ReviewReason.objects.create(code="unreadable", label="Unreadable"),
    }


def _done_export(user) -> Job:
    job = Job.objects.create(
        kind="milestones_export",
        title="Milestones CSV export",
        task_path="milestones.tasks.export_milestones",
        started_by=user,
        created_at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
        status=Job.Status.DONE,
        row_count=1,
    )
    job.result.save("milestones-2026-01-05.csv", ContentFile(f"{REFERENCE}\r\n".encode()))
    return job


def row_counts() -> dict[str, int]:
    """How many rows each model of ours holds, history included: a refused request must
    leave every one as it was (an update adds a history row)."""
    return {
        model._meta.label: model._default_manager.count()
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
    }

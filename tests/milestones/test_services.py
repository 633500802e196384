import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.runner import run_job
from milestones import services
from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from milestones.tasks import recalculate_programme_job
from programmes.services import MilestoneEntry
from tests.factories import (
    MINIMAL_PDF,
    FinancialMilestoneFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
    UserFactory,
)
from tests.milestones.helpers import job, stored
from trackers.evidence import check_upload
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db

Status = ParticipantMilestone.Status


def test_create_tracker_self_employment_adds_the_26_week_milestone(participant):
    _, created = services.create_tracker(
        participant=participant,
        submission_token=uuid.uuid4(),
        created_by=UserFactory(),
        type=Tracker.Type.SELF_EMPLOYMENT,
        description="Dog walker",
        start_date=datetime.date(2025, 6, 2),
        weekly_hours=Decimal("20"),
        hourly_rate=Decimal("15"),
    )

    assert created
    row = participant.milestones.get(kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT)
    assert (row.name, row.amount, row.projected_date, row.earned_to_date) == (
        "Self-employment (26 weeks)",
        None,
        datetime.date(2025, 12, 1),
        Decimal("0.00"),
    )


def test_create_tracker_that_fails_to_recalculate_keeps_no_tracker_and_no_file(
    participant, media_root, monkeypatch
):
    """A failure after the tracker and its evidence are stored takes both back."""

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("milestones.recalculation.insert_with_history", fail)

    with pytest.raises(RuntimeError):
        services.create_tracker(
            participant=participant,
            submission_token=uuid.uuid4(),
            documents=[check_upload(SimpleUploadedFile("payslip.pdf", MINIMAL_PDF))],
            created_by=UserFactory(),
            type=Tracker.Type.SELF_EMPLOYMENT,
            description="Dog walker",
            start_date=datetime.date(2025, 6, 2),
            weekly_hours=Decimal("20"),
            hourly_rate=Decimal("15"),
        )

    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_update_tracker_recalculates(participant):
    tracker = job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant)

    services.update_tracker(
        tracker=tracker, loaded_version=1, changed_by=UserFactory(), weekly_hours=Decimal("32")
    )

    # Twice the pay: £1,000 in 20 days, £4,759.04 in 91.
    assert [row[2] for row in stored(participant)] == [
        datetime.date(2025, 1, 25),
        datetime.date(2025, 4, 6),
    ]


def test_update_tracker_to_self_employment_adds_the_26_week_milestone(participant):
    tracker = job(participant, "2025-06-02")
    recalculate_participant(participant)

    services.update_tracker(
        tracker=tracker,
        loaded_version=1,
        changed_by=UserFactory(),
        type=Tracker.Type.SELF_EMPLOYMENT,
        organisation=None,
    )

    assert stored(participant) == [
        ("First pay", Decimal("1000.00"), None, Status.NOT_REACHABLE, None, Decimal("0.00")),
        ("Job outcome", Decimal("4759.04"), None, Status.NOT_REACHABLE, None, Decimal("0.00")),
        ("Self-employment (26 weeks)", None, datetime.date(2025, 12, 1), Status.ACHIEVED, 0, Decimal("0.00")),
    ]  # fmt: skip


def test_end_tracker_makes_milestones_beyond_the_job_not_reachable(participant):
    tracker = job(participant, "2025-06-02", hours="20", rate="12.21")
    recalculate_participant(participant)

    services.end_tracker(
        tracker=tracker,
        end_date=datetime.date(2025, 6, 30),
        note="Temporary contract",
        loaded_version=1,
        ended_by=UserFactory(),
    )

    # 29 days at £244.20 a week: £1,011.68, enough for the first milestone only.
    assert stored(participant) == [
        ("First pay", Decimal("1000.00"), datetime.date(2025, 6, 30), Status.ACHIEVED, 0, Decimal("1011.68")),
        ("Job outcome", Decimal("4759.04"), None, Status.NOT_REACHABLE, None, Decimal("1011.68")),
    ]  # fmt: skip


def test_update_participant_on_a_new_programme_recalculates(participant):
    job(participant, "2025-01-06")
    recalculate_participant(participant)
    other = RestartProgrammeFactory(name="DWP Restart – CPA 6")
    FinancialMilestoneFactory(programme=other, position=1, name="Other", amount=500)

    services.update_participant(
        participant=participant, loaded_version=participant.version, programme=other
    )

    assert [row[:2] for row in stored(participant)] == [("Other", Decimal("500.00"))]


def test_update_participant_changing_nothing_projected_does_not_recalculate(participant):
    job(participant, "2025-01-06")
    kept = ParticipantMilestoneFactory(participant=participant, name="Left as it was")

    services.update_participant(
        participant=participant, loaded_version=participant.version, first_name="Renamed"
    )

    participant.refresh_from_db()
    assert participant.first_name == "Renamed"
    assert list(participant.milestones.values_list("pk", "name")) == [(kept.pk, "Left as it was")]


def test_save_programme_recalculates_everyone_on_it(participant, restart):
    job(participant, "2025-01-06")
    other = ParticipantFactory(programme=restart)
    job(other, "2025-01-06")

    result = services.save_programme(
        programme=restart,
        details={},
        milestones=[MilestoneEntry(pk=None, name="Only", amount=Decimal("500"))],
        saved_by=UserFactory(),
    )

    assert (result.participants, result.recalculated, result.job) == (2, True, None)
    assert [row[:2] for row in stored(participant)] == [("Only", Decimal("500.00"))]
    assert [row[:2] for row in stored(other)] == [("Only", Decimal("500.00"))]


def test_save_programme_beyond_the_limit_recalculates_in_a_job_once_committed(
    participant, restart, monkeypatch, django_capture_on_commit_callbacks
):
    job(participant, "2025-01-06")
    monkeypatch.setattr(services, "RECALCULATE_IN_REQUEST", 0)
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.save_programme(
            programme=restart,
            details={},
            milestones=[MilestoneEntry(pk=None, name="Only", amount=Decimal("500"))],
            saved_by=user,
        )
        before_commit = stored(participant)

    result.job.refresh_from_db()
    assert (result.participants, result.recalculated, before_commit) == (1, False, [])
    assert (result.job.kind, result.job.started_by, result.job.status) == (
        "programme_recalculation", user, "done",
    )  # fmt: skip
    assert (result.job.title, result.job.row_count) == (f"Recalculating {restart}", 1)
    assert [row[:2] for row in stored(participant)] == [("Only", Decimal("500.00"))]


def test_recalculation_job_of_a_deleted_programme_fails_with_a_message(restart):
    started = services.start_recalculation(programme=restart, started_by=UserFactory())
    restart.delete()

    run_job(started.pk, recalculate_programme_job)

    started.refresh_from_db()
    assert (started.status, started.error) == (
        "failed", "The programme was deleted before its participants were recalculated.",
    )  # fmt: skip


def test_record_claim_saves_the_claim_with_its_author():
    milestone = ParticipantMilestoneFactory()
    supervisor = UserFactory()

    services.record_claim(
        milestone=milestone,
        claim_status=ParticipantMilestone.ClaimStatus.PAID,
        paid_date=datetime.date(2025, 8, 1),
        payment_reference="PRaP-123",
        recorded_by=supervisor,
    )

    milestone.refresh_from_db()
    assert (milestone.claim_status, milestone.paid_date, milestone.payment_reference) == (
        "paid",
        datetime.date(2025, 8, 1),
        "PRaP-123",
    )
    assert milestone.history.first().history_user == supervisor

import datetime
import re
import uuid
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from milestones.models import ParticipantMilestone
from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    ProgrammeFactory,
    RestartProgrammeFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.models import Tracker
from trackers.projections import recalculate_participant
from trackers.services import create_tracker, end_tracker, update_tracker

pytestmark = pytest.mark.django_db

Status = ParticipantMilestone.Status


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


def test_recalculate_participant_stores_a_row_per_financial_milestone(participant):
    job(participant, "2025-01-06", "2025-02-28")
    job(participant, "2025-03-10", hours="30", rate="12.21")

    changes = recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert (len(changes.create), len(changes.update), len(changes.delete)) == (2, 0, 0)
    # 54 days at £183.04 a week earned by 1 March; the second job has not started.
    assert stored(participant) == [
        ("First pay", Decimal("1000.00"), datetime.date(2025, 2, 13), Status.ACHIEVED, 0, Decimal("1412.02")),
        ("Job outcome", Decimal("4759.04"), datetime.date(2025, 5, 12), Status.PROJECTED, 11, Decimal("1412.02")),
    ]  # fmt: skip


def test_recalculate_participant_again_without_changes_writes_nothing(participant):
    job(participant, "2025-03-10", hours="30", rate="12.21")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    changes = recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert changes.rows == 0
    assert ParticipantMilestone.history.count() == 2


def test_recalculate_participant_past_the_window_end_is_at_risk(restart):
    participant = ParticipantFactory(
        programme=restart, programme_start_date=datetime.date(2023, 6, 1)
    )
    job(participant, "2025-01-06", hours="16", rate="11.44")

    recalculate_participant(participant, today=datetime.date(2025, 1, 6))

    # The window (638 days) ends on 28 February 2025.
    assert [row[2:4] for row in stored(participant)] == [
        (datetime.date(2025, 2, 13), Status.PROJECTED),
        (datetime.date(2025, 7, 6), Status.AT_RISK),
    ]


def stale_row(participant) -> ParticipantMilestone:
    """A stored milestone of another programme, which a recalculation removes."""
    elsewhere = FinancialMilestoneFactory(
        programme=RestartProgrammeFactory(name="Work and Health Programme"), position=1
    )
    return ParticipantMilestoneFactory(participant=participant, financial_milestone=elsewhere)


def test_recalculate_participant_is_all_or_nothing(participant, restart, monkeypatch):
    tracker = job(participant, "2025-03-10", hours="30", rate="12.21")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    # A recalculation would now create a row (new milestone), update both rows (more
    # hours) and delete one (a milestone the programme no longer has).
    FinancialMilestoneFactory(programme=restart, position=3, name="Sustained", amount=9000)
    Tracker.objects.filter(pk=tracker.pk).update(weekly_hours=Decimal("37.5"))
    stale = stale_row(participant)
    before = stored(participant)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("trackers.projections.bulk_update_with_history", fail)

    with pytest.raises(RuntimeError):
        recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert sorted(stored(participant)) == sorted(before)
    assert participant.milestones.filter(pk=stale.pk).exists()
    assert not participant.milestones.filter(name="Sustained").exists()


def test_recalculate_participant_failing_to_create_changes_nothing(participant, monkeypatch):
    tracker = job(participant, "2025-03-10", hours="30", rate="12.21")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    # Would delete the stale row, then create the self-employment one.
    Tracker.objects.filter(pk=tracker.pk).update(type=Tracker.Type.SELF_EMPLOYMENT)
    stale = stale_row(participant)
    before = stored(participant)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("trackers.projections.bulk_create_with_history", fail)

    with pytest.raises(RuntimeError):
        recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert stored(participant) == before
    assert participant.milestones.filter(pk=stale.pk).exists()


def test_recalculate_participant_never_overwrites_verified(participant):
    tracker = job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    participant.milestones.filter(name="First pay").update(status=Status.VERIFIED)
    Tracker.objects.filter(pk=tracker.pk).update(weekly_hours=Decimal("32"))

    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert [row[:4] for row in stored(participant)] == [
        ("First pay", Decimal("1000.00"), datetime.date(2025, 1, 25), Status.VERIFIED),
        ("Job outcome", Decimal("4759.04"), datetime.date(2025, 4, 6), Status.PROJECTED),
    ]


def test_recalculate_participant_on_a_programme_without_milestones_removes_them(participant):
    job(participant, "2025-01-06")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    participant.programme = ProgrammeFactory()
    participant.save()

    changes = recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert len(changes.delete) == 2
    assert stored(participant) == []


def test_recalculate_participant_needs_the_restart_scheme(participant, restart):
    job(participant, "2025-01-06")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    restart.scheme = ""
    restart.save()

    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert stored(participant) == []


def test_end_tracker_makes_milestones_beyond_the_job_not_reachable(participant):
    user = UserFactory()
    tracker = job(participant, "2025-06-02", hours="20", rate="12.21")
    recalculate_participant(participant)

    end_tracker(
        tracker=tracker,
        end_date=datetime.date(2025, 6, 30),
        note="Temporary contract",
        loaded_version=1,
        ended_by=user,
    )

    # 29 days at £244.20 a week: £1,011.68, enough for the first milestone only.
    assert stored(participant) == [
        ("First pay", Decimal("1000.00"), datetime.date(2025, 6, 30), Status.ACHIEVED, 0, Decimal("1011.68")),
        ("Job outcome", Decimal("4759.04"), None, Status.NOT_REACHABLE, None, Decimal("1011.68")),
    ]  # fmt: skip


def test_update_tracker_recalculates(participant):
    tracker = job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant)
    tracker.weekly_hours = Decimal("32")

    update_tracker(tracker=tracker, loaded_version=1, changed_by=UserFactory())

    # Twice the pay: £1,000 in 20 days, £4,759.04 in 91.
    assert [row[2] for row in stored(participant)] == [
        datetime.date(2025, 1, 25),
        datetime.date(2025, 4, 6),
    ]


def test_create_tracker_self_employment_adds_the_26_week_milestone(participant):
    tracker = Tracker(
        participant=participant,
        type=Tracker.Type.SELF_EMPLOYMENT,
        description="Dog walker",
        start_date=datetime.date(2025, 6, 2),
        weekly_hours=Decimal("20"),
        hourly_rate=Decimal("15"),
    )

    create_tracker(tracker=tracker, submission_token=uuid.uuid4(), created_by=UserFactory())

    row = participant.milestones.get(kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT)
    assert (row.name, row.amount, row.projected_date, row.earned_to_date) == (
        "Self-employment (26 weeks)",
        None,
        datetime.date(2025, 12, 1),
        Decimal("0.00"),
    )


def test_update_tracker_to_self_employment_adds_the_26_week_milestone(participant):
    tracker = job(participant, "2025-06-02")
    recalculate_participant(participant)
    tracker.type, tracker.organisation = Tracker.Type.SELF_EMPLOYMENT, None

    update_tracker(tracker=tracker, loaded_version=1, changed_by=UserFactory())

    assert stored(participant) == [
        ("First pay", Decimal("1000.00"), None, Status.NOT_REACHABLE, None, Decimal("0.00")),
        ("Job outcome", Decimal("4759.04"), None, Status.NOT_REACHABLE, None, Decimal("0.00")),
        ("Self-employment (26 weeks)", None, datetime.date(2025, 12, 1), Status.ACHIEVED, 0, Decimal("0.00")),
    ]  # fmt: skip


def test_recalculate_participant_self_employment_counts_from_the_first_start(participant):
    job(participant, "2025-06-02", type=Tracker.Type.SELF_EMPLOYMENT, organisation=None)
    job(participant, "2025-03-03", type=Tracker.Type.SELF_EMPLOYMENT, organisation=None)

    recalculate_participant(participant, today=datetime.date(2025, 6, 2))

    row = participant.milestones.get(kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT)
    assert (row.projected_date, row.status, row.weeks_left) == (
        datetime.date(2025, 9, 1),
        Status.PROJECTED,
        13,
    )


def recalculate_command(*args) -> str:
    out = StringIO()
    call_command("recalculate_milestones", *args, stdout=out)
    return out.getvalue()


def test_recalculate_milestones_command_writes_rows_and_reports_progress(
    participant, restart, monkeypatch
):
    job(participant, "2025-01-06")
    job(ParticipantFactory(programme=restart), "2025-02-03")
    ParticipantFactory(programme=ProgrammeFactory())
    monkeypatch.setattr("trackers.projections.BATCH", 2)

    output = recalculate_command()

    lines = output.splitlines()
    assert lines[:2] == [
        "  2 of 3 participants, 4 milestone rows written",
        "  3 of 3 participants, 4 milestone rows written",
    ]
    assert re.fullmatch(
        r"Recalculated 3 participants in \d+\.\d s: 4 milestones added, 0 changed, 0 removed "
        r"\([\d,]+ participants/s, [\d,]+ rows/s\)\.",
        lines[2],
    )
    assert ParticipantMilestone.objects.count() == 4


def test_recalculate_milestones_command_limits_to_one_programme(participant, restart):
    job(participant, "2025-01-06")
    other = RestartProgrammeFactory(name="DWP Restart – CPA 6")
    FinancialMilestoneFactory(programme=other, position=1, amount=1000)
    elsewhere = ParticipantFactory(programme=other)
    job(elsewhere, "2025-01-06")

    output = recalculate_command("--programme", str(restart.pk))

    assert "Recalculated 1 participant in" in output
    assert list(ParticipantMilestone.objects.values_list("participant", flat=True)) == [
        participant.pk,
        participant.pk,
    ]


def test_recalculate_participant_whose_window_runs_past_the_calendar(restart):
    participant = ParticipantFactory(
        programme=restart, programme_start_date=datetime.date(9999, 12, 1)
    )
    job(participant, "2025-01-06")

    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert [row[2:4] for row in stored(participant)] == [
        (datetime.date(2025, 2, 13), Status.ACHIEVED),
        (datetime.date(2025, 7, 6), Status.PROJECTED),
    ]

import datetime
from decimal import Decimal

import pytest

from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    ProgrammeFactory,
    RestartProgrammeFactory,
)
from tests.milestones.helpers import job, stored
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

Status = ParticipantMilestone.Status


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

    monkeypatch.setattr("milestones.recalculation.upsert_with_history", fail)

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

    monkeypatch.setattr("milestones.recalculation.insert_with_history", fail)

    with pytest.raises(RuntimeError):
        recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert stored(participant) == before
    assert participant.milestones.filter(pk=stale.pk).exists()


def test_recalculate_participant_verifies_achieved_milestones_of_approved_jobs(participant):
    job(participant, "2025-01-06", hours="16", rate="11.44", status=Tracker.Status.APPROVED)

    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert [row[3] for row in stored(participant)] == [Status.VERIFIED, Status.PROJECTED]


def test_recalculate_participant_verifies_only_when_every_earning_job_is_approved(participant):
    job(participant, "2025-01-06", "2025-01-31", status=Tracker.Status.APPROVED)
    later = job(participant, "2025-02-03", hours="30", rate="12.21")
    recalculate_participant(participant, today=datetime.date(2025, 6, 1))
    before = [row[3] for row in stored(participant)]
    Tracker.objects.filter(pk=later.pk).update(status=Tracker.Status.APPROVED)

    recalculate_participant(participant, today=datetime.date(2025, 6, 1))

    assert before == [Status.ACHIEVED, Status.ACHIEVED]
    assert [row[3] for row in stored(participant)] == [Status.VERIFIED, Status.VERIFIED]


def test_recalculate_participant_takes_verified_back_when_an_approval_goes(participant):
    tracker = job(participant, "2025-01-06", status=Tracker.Status.APPROVED)
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    Tracker.objects.filter(pk=tracker.pk).update(status=Tracker.Status.IN_REVIEW)

    recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert [row[3] for row in stored(participant)] == [Status.ACHIEVED, Status.PROJECTED]


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

"""The forecast's counts (milestones.forecast_days) stay what counting every milestone
again gives, through every write the services make."""

import datetime
import uuid
from decimal import Decimal

import pytest

from milestones import forecast_days, services
from milestones.forecast import forecast
from milestones.models import ForecastDay, ParticipantMilestone
from milestones.recalculation import recalculate_in_batches, recalculate_participant
from participants.models import Participant, Team
from programmes.services import MilestoneEntry
from tests.factories import (
    FinancialMilestoneFactory,
    OrganisationFactory,
    ParticipantFactory,
    RestartProgrammeFactory,
    TeamFactory,
    UserFactory,
)
from tests.milestones.helpers import job
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)


def held() -> set[tuple]:
    """The stored counts that are not zero, as (day, programme, team, milestones, priced,
    pence)."""
    return set(
        ForecastDay.objects.exclude(milestones=0, priced=0, amount_pence=0).values_list(
            "day", "programme_id", "team_id", "milestones", "priced", "amount_pence"
        )
    )


def counted_again() -> set[tuple]:
    forecast_days.rebuild()
    return held()


def test_a_recalculation_counts_its_rows_under_the_participants_programme_and_team(
    participant,
):
    job(participant, "2025-01-06", hours="16", rate="11.44")

    recalculate_participant(participant, today=TODAY)

    # £183.04 a week: £1,000 by 13 February (Achieved by 3 March, still counted on its
    # day), £4,759.04 by 6 July.
    under = (participant.programme_id, participant.team_id)
    assert held() == {
        (datetime.date(2025, 2, 13), *under, 1, 1, 100_000),
        (datetime.date(2025, 7, 6), *under, 1, 1, 475_904),
    }
    assert held() == counted_again()


def test_not_reachable_rows_and_rows_without_a_date_are_not_counted(participant):
    job(participant, "2025-01-06", "2025-01-31", hours="16", rate="11.44")

    recalculate_participant(participant, today=TODAY)

    assert set(participant.milestones.values_list("status", flat=True)) == {
        ParticipantMilestone.Status.NOT_REACHABLE
    }
    assert held() == set() == counted_again()


def test_every_service_write_keeps_the_counts_as_counting_again_gives(participant, restart):
    user = UserFactory()
    other_team = TeamFactory(name="South")
    other_programme = RestartProgrammeFactory(name="DWP Restart – CPA 6")
    FinancialMilestoneFactory(programme=other_programme, position=1, name="Other", amount=500)
    neighbour = ParticipantFactory(programme=restart, programme_start_date=TODAY)
    job(neighbour, "2025-03-03", hours="30", rate="12.21")
    recalculate_participant(neighbour, today=TODAY)

    tracker, _ = services.create_tracker(
        participant=participant,
        submission_token=uuid.uuid4(),
        created_by=user,
        type=Tracker.Type.JOB,
        description="Warehouse operative",
        organisation=OrganisationFactory(),
        start_date=datetime.date(2025, 1, 6),
        weekly_hours=Decimal("16"),
        hourly_rate=Decimal("11.44"),
    )
    assert held() == counted_again()

    tracker = services.update_tracker(
        tracker=tracker, loaded_version=1, changed_by=user, weekly_hours=Decimal("32")
    )
    assert held() == counted_again()

    participant.refresh_from_db()
    services.update_participant(
        participant=participant, loaded_version=participant.version, team=other_team
    )
    assert {team for _, _, team, *_ in held()} == {neighbour.team_id, other_team.pk}
    assert held() == counted_again()

    participant.refresh_from_db()
    services.update_participant(
        participant=participant, loaded_version=participant.version, programme=other_programme
    )
    assert held() == counted_again()

    kept = restart.financial_milestones.order_by("position").first()
    services.save_programme(
        programme=restart,
        details={},
        milestones=[MilestoneEntry(pk=kept.pk, name=kept.name, amount=Decimal("900"))],
        saved_by=user,
    )
    assert held() == counted_again()

    tracker.refresh_from_db()
    services.end_tracker(
        tracker=tracker,
        end_date=datetime.date(2025, 1, 20),
        note="Agency work ended",
        loaded_version=tracker.version,
        ended_by=user,
    )
    assert held() == counted_again()


def test_days_passing_move_statuses_on_and_the_counts_stay_true(participant):
    job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant, today=datetime.date(2025, 1, 6))

    recalculate_in_batches(Participant.objects.all(), today=datetime.date(2025, 8, 1))

    assert set(participant.milestones.values_list("status", flat=True)) == {
        ParticipantMilestone.Status.ACHIEVED
    }
    assert held() == counted_again()


def test_a_rebuild_puts_right_a_write_made_past_the_services(participant):
    job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant, today=TODAY)
    moved = participant.milestones.get(name="First pay")
    moved.projected_date = datetime.date(2025, 2, 20)
    moved.save()  # as Django admin would
    stale = held()

    forecast_days.rebuild()

    assert datetime.date(2025, 2, 20) in {day for day, *_ in held()}
    assert held() != stale


def test_the_forecast_reads_the_counts_by_month_with_amounts_to_the_penny(participant):
    job(participant, "2025-01-06", hours="16", rate="11.44")
    self_employed = ParticipantFactory(
        programme=participant.programme, team=participant.team, programme_start_date=TODAY
    )
    job(self_employed, "2025-03-03", type=Tracker.Type.SELF_EMPLOYMENT)
    recalculate_in_batches(Participant.objects.all(), today=TODAY)

    result = forecast(Team.objects.all(), today=TODAY)

    assert [(row["month"], row["count"], row["amount"]) for row in result.rows] == [
        (datetime.date(2025, 7, 1), 1, Decimal("4759.04")),
        # Only self-employed outcomes in September: no amount to show, not £0.00.
        (datetime.date(2025, 9, 1), 1, None),
    ]
    assert [bar.count for bar in result.bars][:7] == [0, 0, 0, 0, 1, 0, 1]


def test_the_forecast_of_some_teams_leaves_the_others_out(participant):
    job(participant, "2025-01-06", hours="16", rate="11.44")
    recalculate_participant(participant, today=TODAY)

    assert forecast(Team.objects.exclude(pk=participant.team_id), today=TODAY).rows == []
    assert len(forecast(Team.objects.all(), today=TODAY).rows) == 1


def test_counts_added_in_two_goes_add_up(participant):
    """What two transactions counting the same day at once would each add."""
    under = (participant.programme_id, participant.team_id)
    for _ in range(2):
        changes = forecast_days.ForecastChanges()
        changes.add(under, TODAY, ParticipantMilestone.Status.PROJECTED, Decimal("0.01"))
        forecast_days.apply(changes)

    assert held() == {(TODAY, *under, 2, 2, 2)}


def test_counts_are_written_in_key_order_whatever_order_they_were_added_in():
    """So that two transactions counting the same days lock those rows in one order (each
    waits its turn; neither waits for the other while holding what the other wants)."""
    later, earlier = TODAY + datetime.timedelta(days=7), TODAY
    changes = forecast_days.ForecastChanges()
    for day, programme, team in [(later, 1, 1), (earlier, 2, 1), (earlier, 1, 2), (earlier, 1, 1)]:
        changes.add((programme, team), day, ParticipantMilestone.Status.PROJECTED, None)
    changes.add((1, 1), later, ParticipantMilestone.Status.PROJECTED, None, sign=-1)

    assert [row[:3] for row in changes.rows()] == [
        (earlier, 1, 1),
        (earlier, 1, 2),
        (earlier, 2, 1),
    ]

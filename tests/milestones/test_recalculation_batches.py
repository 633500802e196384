"""The batched recalculation (many participants at once) against one participant at a
time: the same rows and the same history on varied data, nothing written on a second
run, and a query count that does not grow with the participants in a batch."""

import datetime
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milestones import recalculation
from milestones.models import ParticipantMilestone
from milestones.recalculation import (
    Tally,
    recalculate,
    recalculate_in_batches,
    recalculate_participant,
)
from participants.models import Participant
from tests.factories import (
    FinancialMilestoneFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RestartProgrammeFactory,
    TrackerFactory,
    UserFactory,
)
from tests.milestones.helpers import job
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 9, 1)
ROW = ["participant_id", "financial_milestone_id", "kind", "name", "amount", "earned_to_date", "projected_date", "weeks_left", "status", "claim_status", "calculated_on"]  # fmt: skip


class Rollback(Exception):
    """Raised to undo what a block wrote."""


def rows(kept: set[int]) -> list[tuple]:
    """Every stored milestone, with its id when it is one of ``kept`` (rows that existed
    before: an update must keep the row, not replace it)."""
    return sorted(
        (
            (row[0] if row[0] in kept else None, *row[1:])
            for row in ParticipantMilestone.objects.values_list("id", *ROW)
        ),
        key=repr,
    )


def history_since(history_id: int) -> list[tuple]:
    return sorted(
        ParticipantMilestone.history.filter(history_id__gt=history_id).values_list(
            "history_type", "history_user_id", *ROW
        ),
        key=repr,  # a sort that None does not break
    )


def last_history_id() -> int:
    latest = ParticipantMilestone.history.order_by("-history_id").first()
    return latest.history_id if latest else 0


def programmes():
    """Two Restart programmes (two and three milestones) and one without milestones."""
    two = RestartProgrammeFactory(name="Restart two")
    FinancialMilestoneFactory(programme=two, position=1, name="First pay", amount=1000)
    FinancialMilestoneFactory(programme=two, position=2, name="Job outcome", amount=4759)
    three = RestartProgrammeFactory(name="Restart three")
    for position, amount in enumerate(["500", "2539.68", "5079.36"], start=1):
        FinancialMilestoneFactory(programme=three, position=position, amount=Decimal(amount))
    return [two, three, ProgrammeFactory(name="No milestones")]


trackers = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(Tracker.Type.values),
            "status": st.sampled_from(
                [Tracker.Status.NEW, Tracker.Status.IN_REVIEW, Tracker.Status.APPROVED]
            ),
            "start": st.integers(min_value=-400, max_value=200),
            "days": st.none() | st.integers(min_value=0, max_value=300),
            "hours": st.sampled_from(["8", "16", "37.5"]),
            "rate": st.sampled_from(["11.44", "12.21", "20"]),
            "drop": st.booleans(),  # removed after the first recalculation
            "approve": st.booleans(),  # approved after it
        }
    ),
    max_size=3,
)
participants = st.lists(
    st.fixed_dictionaries(
        {
            "programme": st.integers(min_value=0, max_value=2),
            "moves_to": st.none() | st.integers(min_value=0, max_value=2),
            "start": st.integers(min_value=-700, max_value=0),
            "trackers": trackers,
        }
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=participants, days_later=st.sampled_from([0, 1, 7, 60]))
def test_recalculate_in_batches_writes_what_one_at_a_time_writes(people, days_later, monkeypatch):
    monkeypatch.setattr("milestones.recalculation.BATCH", 2)
    try:
        with transaction.atomic():
            on = programmes()
            participants_ = given_participants(people, on)
            kept = set(ParticipantMilestone.objects.values_list("id", flat=True))
            since = last_history_id()
            today = TODAY + datetime.timedelta(days=days_later)

            with transaction.atomic():
                for participant in participants_:
                    recalculate_participant(participant, today=today)
                one_at_a_time = rows(kept), history_since(since)
                transaction.set_rollback(True)
            tally = recalculate_in_batches(Participant.objects.all(), today=today)
            in_batches = rows(kept), history_since(since)
            again = recalculate(Participant.objects.all(), today=today)

            assert in_batches == one_at_a_time
            assert tally.rows == len(in_batches[1])
            assert (
                Counter(h[0] for h in in_batches[1])
                == Counter({"+": tally.created, "~": tally.updated, "-": tally.deleted}) - Counter()
            )
            assert (again.rows, history_since(since)) == (0, in_batches[1])
            raise Rollback
    except Rollback:
        pass


def given_participants(people: list[dict], on: list) -> list[Participant]:
    """The participants, recalculated once a season ago, then changed (trackers removed
    or approved, programme moved) so that a recalculation creates, updates and deletes."""
    employer = OrganisationFactory(status="confirmed")
    user = UserFactory()
    made = []
    for person in people:
        participant = ParticipantFactory(
            programme=on[person["programme"]],
            programme_start_date=TODAY + datetime.timedelta(days=person["start"]),
        )
        made.append(participant)
        for facts in person["trackers"]:
            start = participant.programme_start_date + datetime.timedelta(days=facts["start"])
            facts["tracker"] = TrackerFactory(
                participant=participant,
                type=facts["type"],
                status=facts["status"],
                organisation=employer if facts["type"] == Tracker.Type.JOB else None,
                created_by=user,
                start_date=start,
                end_date=None
                if facts["days"] is None
                else start + datetime.timedelta(days=facts["days"]),
                weekly_hours=Decimal(facts["hours"]),
                hourly_rate=Decimal(facts["rate"]),
            )
    recalculate(Participant.objects.all(), today=TODAY - datetime.timedelta(days=90))
    for person, participant in zip(people, made, strict=True):
        for facts in person["trackers"]:
            if facts["drop"]:
                facts["tracker"].delete()
            elif facts["approve"]:
                Tracker.objects.filter(pk=facts["tracker"].pk).update(
                    status=Tracker.Status.APPROVED
                )
        if person["moves_to"] is not None:
            Participant.objects.filter(pk=participant.pk).update(programme=on[person["moves_to"]])
    return made


@pytest.fixture
def participants_on(restart):
    """Participants on Restart, each with a job and a self-employment, recalculated once
    30 days ago; a recalculation today updates their rows."""

    def make(count: int) -> list[Participant]:
        made = []
        for _ in range(count):
            participant = ParticipantFactory(
                programme=restart, programme_start_date=datetime.date(2025, 1, 6)
            )
            job(participant, "2025-01-06", hours="30", rate="12.21")
            job(participant, "2025-02-03", type=Tracker.Type.SELF_EMPLOYMENT, organisation=None)
            made.append(participant)
        recalculate(Participant.objects.all(), today=datetime.date(2025, 2, 1))
        return made

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_recalculate_queries_do_not_grow_with_the_participants(
    participants_on, restart, count, django_assert_num_queries
):
    made = participants_on(count)
    # A new milestone (a row to create), later dates (rows to update) and a participant's
    # self-employment gone (a row to delete), for each participant.
    FinancialMilestoneFactory(programme=restart, position=3, name="Sustained", amount=9000)
    Tracker.objects.filter(type=Tracker.Type.SELF_EMPLOYMENT).delete()

    # The ids; savepoint; participants with their programmes; financial milestones;
    # trackers; stored rows; the deleted rows' claim attempts (none); delete's history and
    # delete; insert (on PostgreSQL after taking the new rows' ids) and its history;
    # update and its history; the forecast's counts; release.
    with django_assert_num_queries(16 if connection.vendor == "postgresql" else 15):
        changes = recalculate(Participant.objects.all(), today=datetime.date(2025, 3, 1))

    assert (len(changes.create), len(changes.update), len(changes.delete)) == (
        count,
        2 * count,
        count,
    )
    assert set(ParticipantMilestone.history.values_list("history_type", flat=True)) == {
        "+",
        "-",
        "~",
    }
    assert ParticipantMilestone.objects.filter(participant__in=made).count() == 3 * count


@pytest.mark.parametrize("count", [1, 3])
def test_recalculate_with_nothing_changed_reads_and_writes_nothing_more(
    participants_on, count, django_assert_num_queries
):
    participants_on(count)
    recalculate(Participant.objects.all(), today=datetime.date(2025, 3, 1))
    history = ParticipantMilestone.history.count()

    # The ids; savepoint; participants; financial milestones; trackers; stored rows; release.
    with django_assert_num_queries(7):
        changes = recalculate(Participant.objects.all(), today=datetime.date(2025, 3, 1))

    assert (changes.rows, ParticipantMilestone.history.count()) == (0, history)


def test_recalculate_removes_rows_with_a_deleted_history_row_each(participant, restart):
    job(participant, "2025-01-06")
    recalculate_participant(participant, today=datetime.date(2025, 3, 1))
    before = list(
        participant.milestones.order_by("pk").values_list("pk", "name", "status", "amount")
    )
    restart.milestones_enabled = False
    restart.save()

    changes = recalculate_participant(participant, today=datetime.date(2025, 3, 1))

    assert sorted(changes.delete) == [pk for pk, *_ in before]
    assert participant.milestones.count() == 0
    assert (
        list(
            ParticipantMilestone.history.filter(history_type="-")
            .order_by("id")
            .values_list("id", "name", "status", "amount")
        )
        == before
    )


def test_recalculate_in_batches_reports_progress_after_each_batch(participants_on, monkeypatch):
    participants_on(3)
    monkeypatch.setattr("milestones.recalculation.BATCH", 2)
    progress = []

    tally = recalculate_in_batches(
        Participant.objects.all(),
        today=datetime.date(2025, 3, 1),
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert progress == [(2, 3), (3, 3)]
    assert tally == Tally(participants=3, created=0, updated=9, deleted=0)


class Spy:
    """Wraps ``_recalculate_batch`` to note which thread stored which participants, and
    to fail the batch holding ``fail_on``."""

    def __init__(self, monkeypatch, fail_on: int | None = None):
        self.threads: dict[int, str] = {}
        self.fail_on = fail_on
        self.real = recalculation._recalculate_batch
        monkeypatch.setattr("milestones.recalculation._recalculate_batch", self)

    def __call__(self, pks, *args):
        if self.fail_on in pks:
            raise RuntimeError("the database went away")
        self.threads |= dict.fromkeys(pks, threading.current_thread().name)
        return self.real(pks, *args)


def other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_long_run_outside_a_transaction_goes_in_two_lanes_on_postgresql(
    participants_on, monkeypatch
):
    made = participants_on(5)
    monkeypatch.setattr("milestones.recalculation.BATCH", 2)
    spy, progress = Spy(monkeypatch), []

    tally = recalculate_in_batches(
        Participant.objects.all(),
        today=datetime.date(2025, 3, 1),
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert tally == Tally(participants=5, created=0, updated=15, deleted=0)
    assert recalculate(Participant.objects.all(), today=datetime.date(2025, 3, 1)).rows == 0
    # Batches may finish out of order: the participants done still only grow, to all.
    assert [total for _, total in progress] == [5, 5, 5]
    assert progress[-1] == (5, 5) and sorted(progress) == progress
    lanes = {spy.threads[p.pk] for p in made}
    if connection.vendor == "postgresql":
        # Batches 1 and 3 in one lane, batch 2 in the other; each lane's connection closed.
        assert len(lanes) == 2 and all(name.startswith("recalculation") for name in lanes)
        assert spy.threads[made[0].pk] == spy.threads[made[4].pk] != spy.threads[made[2].pk]
        assert other_connections() == 0
    else:  # one writer: one batch after another, on the caller's connection
        assert lanes == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_fails_in_a_lane_fails_the_run_and_leaves_its_rows(
    participants_on, monkeypatch
):
    made = participants_on(5)
    monkeypatch.setattr("milestones.recalculation.BATCH", 2)
    Spy(monkeypatch, fail_on=made[2].pk)
    before = set(ParticipantMilestone.objects.filter(participant__in=made[2:4]).values_list())

    with pytest.raises(RuntimeError, match="the database went away"):
        recalculate_in_batches(Participant.objects.all(), today=datetime.date(2025, 3, 1))

    assert set(ParticipantMilestone.objects.filter(participant__in=made[2:4]).values_list()) == (
        before
    )
    days = [
        set(
            ParticipantMilestone.objects.filter(participant__in=batch).values_list(
                "calculated_on", flat=True
            )
        )
        for batch in (made[:2], made[4:])
    ]
    if connection.vendor == "postgresql":
        # The other lane stops after the batch it was storing: each batch whole or not.
        assert all(len(day) == 1 for day in days)
        assert other_connections() == 0
    else:  # one after another: the first batch stored, the third never reached
        assert days == [{datetime.date(2025, 3, 1)}, {datetime.date(2025, 2, 1)}]

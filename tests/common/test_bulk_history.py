"""The bulk writes with history (``common.bulk_history``), on both engines: on PostgreSQL
they write arrays (``unnest``) bound apart from the SQL, elsewhere Django's bulk writes;
either way each row is stored as given and gets the history row ``save()`` would give."""

import datetime
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction

from common.bulk_history import delete_with_history, insert_with_history, upsert_with_history
from milestones.models import ParticipantMilestone
from participants.models import Participant
from tests.factories import (
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 1)


def new_rows(count: int) -> list[ParticipantMilestone]:
    programme = RestartProgrammeFactory()
    return [
        ParticipantMilestone(
            participant=ParticipantFactory(programme=programme),
            kind=ParticipantMilestone.Kind.EARNINGS,
            name=f"Milestone {number}",
            amount=Decimal("2539.68"),
            earned_to_date=Decimal("120.05"),
            projected_date=DAY,
            weeks_left=number,
            # A choice as the code names it (an enum member), stored as its value.
            status=ParticipantMilestone.Status.VERIFIED,
            calculated_on=DAY,
        )
        for number in range(count)
    ]


def stored(pks) -> list[tuple]:
    fields = ("name", "amount", "earned_to_date", "projected_date", "weeks_left", "status")
    return list(ParticipantMilestone.objects.filter(pk__in=pks).order_by("pk").values_list(*fields))


def history(pks, history_type: str) -> list[tuple]:
    rows = ParticipantMilestone.history.filter(id__in=pks, history_type=history_type)
    return list(rows.order_by("id").values_list("id", "name", "earned_to_date", "status"))


def test_insert_stores_each_row_as_given_and_its_history():
    rows = new_rows(3)

    insert_with_history(rows, ParticipantMilestone, batch_size=2)

    pks = [row.pk for row in rows]
    assert None not in pks and len(set(pks)) == 3
    assert stored(pks) == [
        (f"Milestone {n}", Decimal("2539.68"), Decimal("120.05"), DAY, n, "verified")
        for n in range(3)
    ]
    assert history(pks, "+") == [
        (pk, f"Milestone {n}", Decimal("120.05"), "verified") for n, pk in enumerate(pks)
    ]
    # The objects are as saved ones: saved again, they update their own row.
    rows[1].name = "Renamed"
    rows[1].save()
    assert ParticipantMilestone.objects.get(pk=pks[1]).name == "Renamed"


@pytest.mark.parametrize("name", ["NULL", "", 'a "quoted", {braced} \\ name', "  spaced  ", "Zoë"])
def test_text_an_array_would_have_to_quote_is_stored_as_given(name):
    rows = new_rows(2)
    rows[0].name, rows[1].amount = name, None

    insert_with_history(rows, ParticipantMilestone, batch_size=10)

    assert [row[:2] for row in stored([row.pk for row in rows])] == [
        (name, Decimal("2539.68")),
        ("Milestone 1", None),
    ]


def test_update_writes_only_the_named_fields_and_a_history_row_each():
    milestones = [ParticipantMilestoneFactory(weeks_left=5) for _ in range(3)]
    given = list(ParticipantMilestone.objects.filter(pk__in=[m.pk for m in milestones]))
    for number, row in enumerate(given):
        row.earned_to_date = Decimal(f"{number}.50")
        row.status = ParticipantMilestone.Status.ACHIEVED
        row.weeks_left = 99  # not named: left as stored

    upsert_with_history(given, ParticipantMilestone, ["earned_to_date", "status"], batch_size=2)

    pks = [row.pk for row in given]
    assert [row[2:] for row in stored(pks)] == [
        (Decimal(f"{n}.50"), milestones[n].projected_date, 5, "achieved") for n in range(3)
    ]
    assert [row[2:] for row in history(pks, "~")] == [
        (Decimal(f"{n}.50"), "achieved") for n in range(3)
    ]


def test_delete_removes_the_rows_with_a_history_row_of_each_as_it_was():
    milestones = [ParticipantMilestoneFactory(name=f"Gone {n}") for n in range(2)]
    kept = ParticipantMilestoneFactory()
    pks = [m.pk for m in milestones]

    delete_with_history(pks, ParticipantMilestone, batch_size=1)

    assert list(ParticipantMilestone.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [row[1] for row in history(pks, "-")] == ["Gone 0", "Gone 1"]


@pytest.mark.parametrize("count", [1, 3])
def test_writes_take_the_same_queries_however_many_rows(count, django_assert_num_queries):
    rows = new_rows(count)
    # Taking the new rows' ids, the insert and its history (PostgreSQL); the insert
    # and its history elsewhere.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 2):
        insert_with_history(rows, ParticipantMilestone, batch_size=1000)
    with django_assert_num_queries(2):
        upsert_with_history(rows, ParticipantMilestone, ["name"], batch_size=1000)


def test_a_model_that_fills_in_fields_on_save_gets_them_filled_in():
    """Participant's created and updated times are filled in by Django's save, so its
    rows are written by Django's bulk insert on every engine."""
    participant = ParticipantFactory.build(programme=RestartProgrammeFactory(), team=TeamFactory())

    insert_with_history([participant], Participant, batch_size=10)

    saved = Participant.objects.get(pk=participant.pk)
    assert saved.created_at is not None and saved.updated_at is not None
    assert Participant.history.get(id=participant.pk).history_type == "+"


def test_a_failing_history_write_leaves_no_row_and_raises_djangos_error():
    """The writes pass through Django's execute wrappers and error translation like any
    query (on PostgreSQL they run on psycopg's own cursor), and the rows and their history
    go in together or not at all."""
    rows = new_rows(2)

    def refuse(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "milestones_historicalparticipantmilestone"'):
            raise OperationalError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    # In a transaction of its own, as every caller writes.
    with pytest.raises(OperationalError), connection.execute_wrapper(refuse), transaction.atomic():
        insert_with_history(rows, ParticipantMilestone, batch_size=1000)

    assert not ParticipantMilestone.objects.exists()

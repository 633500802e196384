"""The forecast's counts (``ForecastDay``): participant milestones per projected day,
programme and team, kept in step with the milestone rows they count.

A milestone row counts when it has a projected date and is not Not reachable, under its
participant's programme and team. Every write that changes what is counted goes through
here, in the same transaction:

- the recalculation (``milestones.recalculation``) passes the changes of each batch;
- a participant moving to another programme or team moves their counts (``move``);
- a programme save that drops financial milestones uncounts their rows before they go.

Writes made elsewhere (Django admin, by data-fix staff) show in the forecast after the
nightly recalculation, which ends with ``rebuild``.

Counts are added, never read and written back, so that two transactions counting at
once add up: ``INSERT … ON CONFLICT DO UPDATE SET milestones = milestones + …``, which
PostgreSQL and SQLite (3.24 and later) both run.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet

from common.bulk import unnest, values_apart_cursor
from milestones.models import ForecastDay, ParticipantMilestone

# (day, programme id, team id)
Key = tuple[datetime.date, int, int]


class ForecastChanges:
    """Counts to add (or, negative, take away), by day, programme and team."""

    def __init__(self) -> None:
        # key -> [milestones, priced, amount in pence]
        self.counts: defaultdict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(
        self,
        under: tuple[int, int],
        day: datetime.date | None,
        status: str,
        amount: Decimal | None,
        *,
        sign: int = 1,
    ) -> None:
        """Count one milestone row as it is (``sign=-1``: as it was) under (programme,
        team), if it counts."""
        if not counts(day, status):
            return
        tally = self.counts[(day, *under)]
        tally[0] += sign
        if amount is not None:
            tally[1] += sign
            tally[2] += sign * pence(amount)

    def extend(self, other: "ForecastChanges") -> None:
        for key, (milestones, priced, amount) in other.counts.items():
            tally = self.counts[key]
            tally[0] += milestones
            tally[1] += priced
            tally[2] += amount

    def rows(self) -> list[tuple]:
        """(day, programme, team, milestones, priced, pence) for every key that changes,
        in key order: two transactions counting the same days lock their rows in the same
        order, so one waits for the other instead of each waiting for the other."""
        return [(*key, *tally) for key, tally in sorted(self.counts.items()) if any(tally)]


def counts(day: datetime.date | None, status: str) -> bool:
    return day is not None and status != ParticipantMilestone.Status.NOT_REACHABLE


def pence(amount: Decimal) -> int:
    return int(amount * 100)


def apply(changes: ForecastChanges) -> None:
    """Add the changes to the stored counts."""
    _add(changes.rows())


def move(participant: int, *, old: tuple[int, int], new: tuple[int, int]) -> None:
    """The participant's counted milestones, from (programme, team) ``old`` to ``new``
    (before it is recalculated under the new ones)."""
    if old == new:
        return
    changes = ForecastChanges()
    rows = ParticipantMilestone.objects.filter(participant_id=participant)
    for day, status, amount in rows.values_list("projected_date", "status", "amount"):
        changes.add(old, day, status, amount, sign=-1)
        changes.add(new, day, status, amount)
    apply(changes)


def uncount(milestones: QuerySet[ParticipantMilestone]) -> None:
    """Take these rows out of the counts (they are about to be deleted)."""
    changes = ForecastChanges()
    for day, status, amount, programme, team in _counted_values(milestones):
        changes.add((programme, team), day, status, amount, sign=-1)
    apply(changes)


@transaction.atomic
def rebuild() -> int:
    """Count every milestone row again, from nothing; returns the rows of counts.

    On PostgreSQL the table is locked first, so a recalculation counting at the same
    time either commits before the milestones are read (and is in them) or adds its
    changes after the rebuild commits (and is not)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ForecastDay._meta.db_table} IN EXCLUSIVE MODE")
    ForecastDay.objects.all().delete()
    changes = ForecastChanges()
    every = _counted_values(ParticipantMilestone.objects.all()).iterator(chunk_size=5000)
    for day, status, amount, programme, team in every:
        changes.add((programme, team), day, status, amount)
    rows = changes.rows()
    _add(rows)
    return len(rows)


_COUNTED_COLUMNS = [
    "projected_date", "status", "amount", "participant__programme_id", "participant__team_id",
]  # fmt: skip


def _counted_values(milestones: QuerySet[ParticipantMilestone]) -> QuerySet:
    """(day, status, amount, programme, team) of the rows that count."""
    return (
        milestones.filter(projected_date__isnull=False)
        .exclude(status=ParticipantMilestone.Status.NOT_REACHABLE)
        .order_by()
        .values_list(*_COUNTED_COLUMNS)
    )


_COLUMNS = ["day", "programme", "team", "milestones", "priced", "amount_pence"]


def _add(rows: list[tuple], batch: int = 500) -> None:
    fields = [ForecastDay._meta.get_field(name) for name in _COLUMNS]
    table = connection.ops.quote_name(ForecastDay._meta.db_table)
    # Every name is the model's own; every value is a parameter.
    insert = f"INSERT INTO {table} ({', '.join(field.column for field in fields)})"
    increments = ", ".join(
        f"{column} = {table}.{column} + excluded.{column}"
        for column in ("milestones", "priced", "amount_pence")
    )
    upsert = f"ON CONFLICT (day, programme_id, team_id) DO UPDATE SET {increments}"
    if connection.vendor == "postgresql":  # one array a column (common.bulk)
        with values_apart_cursor(connection) as cursor:
            for start in range(0, len(rows), batch):
                cursor.execute(
                    f"{insert} SELECT * FROM {unnest(fields, connection)} {upsert}",  # noqa: S608
                    [list(column) for column in zip(*rows[start : start + batch], strict=True)],
                )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"{insert} VALUES {values} {upsert}",
                [
                    value
                    for day, *rest in chunk
                    for value in (connection.ops.adapt_datefield_value(day), *rest)
                ],
            )

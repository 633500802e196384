"""The forecast: how many milestones are projected in each of the next 12 months, by
programme and team, and the geometry of the chart that shows them.

Read from the counts per day that ``milestones.forecast_days`` keeps (``ForecastDay``):
a year of them is a few thousand rows whether the provider has 10,000 participants or a
million, where grouping the milestones themselves read every one due in the year."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from milestones.models import ForecastDay
from participants.models import Team
from programmes.models import Programme

MONTHS = 12
# The chart's drawing area in SVG units: bars stand on the axis, and the tallest leaves
# room above it for its value.
CHART_WIDTH = 600
BAR_TOP = 30
AXIS_Y = 190


class MonthOf(TruncMonth):
    """The first of the date's month. On SQLite with its own ``strftime``: Django's
    ``TruncMonth`` there is a Python function called once per row, 2 s over 75,000."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"strftime('%%Y-%%m-01', {sql})", params


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    count: int
    x: float
    width: float
    height: float
    y: float
    label_y: float


@dataclass(frozen=True)
class Forecast:
    months: list[datetime.date]
    rows: list[dict]
    bars: list[Bar]


def forecast(teams: QuerySet[Team], *, today: datetime.date) -> Forecast:
    """The milestones of these teams' participants projected from today to the end of the
    twelfth month, counted and summed per month, programme and team (Not reachable ones
    have no date to count)."""
    months = [today.replace(day=1) + relativedelta(months=n) for n in range(MONTHS)]
    grouped = (
        ForecastDay.objects.filter(
            team__in=teams,
            day__gte=today,
            day__lt=months[-1] + relativedelta(months=1),
            milestones__gt=0,
        )
        .annotate(month=MonthOf("day"))
        .values_list("month", "programme_id", "team_id")
        .annotate(count=Sum("milestones"), priced=Sum("priced"), pence=Sum("amount_pence"))
        .order_by()
    )
    rows = _named(list(grouped))
    totals = dict.fromkeys(months, 0)
    for row in rows:
        totals[row["month"]] += row["count"]
    return Forecast(months=months, rows=rows, bars=_bars(totals))


def _named(grouped: list[tuple]) -> list[dict]:
    """The grouped rows by month, programme name and team name, as the page shows them
    (two programmes of one name are one row, as they read)."""
    programmes = dict(
        Programme.objects.filter(pk__in={row[1] for row in grouped}).values_list("pk", "name")
    )
    teams = dict(Team.objects.filter(pk__in={row[2] for row in grouped}).values_list("pk", "name"))
    named: dict[tuple, dict] = {}
    for month, programme, team, count, priced, pence in grouped:
        # SQLite gives the month as text, PostgreSQL as a date.
        if isinstance(month, str):
            month = datetime.date.fromisoformat(month)
        key = (month, programmes[programme], teams[team])
        row = named.setdefault(
            key,
            {
                "month": key[0],
                "participant__programme__name": key[1],
                "participant__team__name": key[2],
                "count": 0,
                "amount": None,
            },
        )
        row["count"] += count
        if priced:
            row["amount"] = (row["amount"] or 0) + Decimal(pence) / 100
    return [named[key] for key in sorted(named)]


def _bars(totals: dict[datetime.date, int]) -> list[Bar]:
    tallest = max(totals.values(), default=0) or 1
    width = CHART_WIDTH / max(len(totals), 1)
    bars = []
    for index, (month, count) in enumerate(sorted(totals.items())):
        height = round((AXIS_Y - BAR_TOP) * count / tallest, 1)
        bars.append(
            Bar(
                month=month,
                count=count,
                x=round(index * width + 4, 1),
                width=round(width - 8, 1),
                height=height,
                y=round(AXIS_Y - height, 1),
                label_y=round(AXIS_Y - height - 4, 1),
            )
        )
    return bars

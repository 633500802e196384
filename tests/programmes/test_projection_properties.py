"""Properties of the projection rule for any valid input, checked with Hypothesis, and
agreement with a slow, obviously correct day-by-day reference on small inputs."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.projection import Job, Status, earnings_on, project

fast = settings(max_examples=200, deadline=None)

FIRST_DAY, LAST_DAY = date(2020, 1, 1), date(2030, 12, 31)
TODAY, WINDOW_END = date(2025, 6, 1), date(2026, 6, 1)

hours_or_rate = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)
increases = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=2)


@st.composite
def jobs(draw, first: date = FIRST_DAY, last: date = LAST_DAY) -> Job:
    start = draw(st.dates(min_value=first, max_value=last))
    end = draw(st.none() | st.dates(min_value=start, max_value=last))
    return Job(
        start=start, end=end, weekly_hours=draw(hours_or_rate), hourly_rate=draw(hours_or_rate)
    )


def job_lists(first: date = FIRST_DAY, last: date = LAST_DAY, min_size: int = 0):
    return st.lists(jobs(first, last), min_size=min_size, max_size=4)


def money(most: str = "20000"):
    return st.decimals(min_value=Decimal("0.01"), max_value=Decimal(most), places=2)


def amount_lists(most: str = "20000"):
    return st.lists(money(most), min_size=1, max_size=4, unique=True).map(sorted)


def dates_of(jobs: list[Job], amounts: list[Decimal]) -> list[date | None]:
    projections = project(jobs=jobs, amounts=amounts, window_end=WINDOW_END, today=TODAY)
    return [p.projected_date for p in projections]


def never(day: date | None) -> tuple[bool, date]:
    """Sort key in which None (never reached) comes after every date."""
    return (day is None, day or date.min)


def not_later(these: list[date | None], those: list[date | None]) -> bool:
    return all(never(a) <= never(b) for a, b in zip(these, those, strict=True))


def reference(jobs: list[Job], amounts: list[Decimal], today: date, horizon: date):
    """Day by day with Fractions: the dates reached up to ``horizon`` (None if later or
    never) and the exact earnings to the end of ``today``."""
    daily = [(j, Fraction(j.weekly_hours) * Fraction(j.hourly_rate) / 7) for j in jobs]
    reached: list[date | None] = [None] * len(amounts)
    total = Fraction(0)
    earned_today = Fraction(0)
    day = min((j.start for j in jobs), default=horizon + timedelta(days=1))
    while day <= max(horizon, today):
        total += sum(pay for j, pay in daily if j.start <= day and (j.end is None or day <= j.end))
        for i, amount in enumerate(amounts):
            if reached[i] is None and day <= horizon and total >= amount:
                reached[i] = day
        if day == today:
            earned_today = total
        day += timedelta(days=1)
    return reached, earned_today


@fast
@given(jobs=job_lists(), amounts=amount_lists(), today=st.dates(FIRST_DAY, LAST_DAY))
def test_project_status_follows_the_date_for_any_valid_input(jobs, amounts, today):
    window_end = today + timedelta(days=30)

    projections = project(jobs=jobs, amounts=amounts, window_end=window_end, today=today)

    assert [p.amount for p in projections] == amounts
    for p in projections:
        if p.projected_date is None:
            assert (p.status, p.weeks_left) == (Status.NOT_REACHABLE, None)
        elif p.projected_date <= today:
            assert (p.status, p.weeks_left) == (Status.ACHIEVED, 0)
        else:
            days = (p.projected_date - today).days
            assert 7 * p.weeks_left - 7 < days <= 7 * p.weeks_left
            assert p.status == (
                Status.AT_RISK if p.projected_date > window_end else Status.PROJECTED
            )
        assert p.earned_to_date == earnings_on(jobs=jobs, day=today)


@fast
@given(jobs=job_lists(), amounts=amount_lists())
def test_project_dates_do_not_decrease_across_increasing_amounts(jobs, amounts):
    dates = dates_of(jobs, amounts)

    assert dates == sorted(dates, key=never)


@fast
@given(jobs=job_lists(), amount=money(), more=increases)
def test_project_larger_amount_is_never_earlier(jobs, amount, more):
    larger = amount + more

    dates = dates_of(jobs, [amount]), dates_of(jobs, [larger])

    assert not_later(*dates)


@pytest.mark.parametrize("field", ["weekly_hours", "hourly_rate"])
@fast
@given(jobs=job_lists(min_size=1), amounts=amount_lists(), which=st.integers(0, 3), more=increases)
def test_project_more_hours_or_pay_never_makes_a_date_later(field, jobs, amounts, which, more):
    bumped = list(jobs)
    i = which % len(jobs)
    bumped[i] = dataclasses.replace(jobs[i], **{field: getattr(jobs[i], field) + more})

    dates = dates_of(bumped, amounts), dates_of(jobs, amounts)

    assert not_later(*dates)


@fast
@given(jobs=job_lists(), amounts=amount_lists(), extra=jobs())
def test_project_adding_a_job_never_makes_a_date_later(jobs, amounts, extra):
    more_jobs = [*jobs, extra]

    dates = dates_of(more_jobs, amounts), dates_of(jobs, amounts)

    assert not_later(*dates)


@fast
@given(jobs=job_lists(), amounts=amount_lists())
def test_project_date_is_the_first_day_earnings_reach_the_amount(jobs, amounts):
    ends = [j.end for j in jobs]

    dates = dates_of(jobs, amounts)

    for amount, day in zip(amounts, dates, strict=True):
        if day is not None:
            assert earnings_on(jobs=jobs, day=day) >= amount
            assert earnings_on(jobs=jobs, day=day - timedelta(days=1)) < amount
        elif jobs and None not in ends:
            assert earnings_on(jobs=jobs, day=max(ends)) < amount


SMALL_FIRST, SMALL_LAST = date(2025, 1, 1), date(2025, 4, 30)
HORIZON = date(2025, 12, 31)


@fast
@given(
    jobs=job_lists(SMALL_FIRST, SMALL_LAST),
    amounts=amount_lists(most="5000"),
    today=st.dates(date(2024, 12, 1), date(2026, 1, 31)),
)
def test_project_agrees_with_a_day_by_day_reference(jobs, amounts, today):
    expected, earned = reference(jobs, amounts, today, HORIZON)

    projections = project(jobs=jobs, amounts=amounts, window_end=WINDOW_END, today=today)

    for p, day in zip(projections, expected, strict=True):
        if day is not None:
            assert p.projected_date == day
        else:
            assert p.projected_date is None or p.projected_date > HORIZON
        assert p.earned_to_date == Decimal(int(earned * 100)) / 100

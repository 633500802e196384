"""The projection rule (DESIGN.md §4): when will a participant's earnings reach each
milestone?

Pure calculation, no Django: frozen dataclasses in and out, ``Decimal`` money, ``today``
passed in. Earnings accrue per calendar day, a job earning its weekly pay ÷ 7 on every day
from its start to its end (inclusive). To stay exact the module counts in *sevenths*:
a job contributes ``weekly pay × active days``, which is compared with ``7 × amount``,
and nothing is divided by 7 until a pence figure is shown.

The timeline is walked piecewise, one step per stretch between job starts and ends, so a
ten-year open job costs the same as a one-week one.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from functools import cached_property
from itertools import pairwise

SELF_EMPLOYMENT_DAYS = 182
"""Six months of self-employment: 182 days, cumulative across the participant's periods
of self-employment (WHP Chapter 13), each calendar day counted once."""

# Enough precision that adding and multiplying never round; if anything ever did,
# Inexact is trapped so that a wrong answer becomes an error instead.
_EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
_ZERO = Decimal("0.00")


class Status(StrEnum):
    """What a projection says about one milestone. (Verified is compliance's word, set
    elsewhere; the projection never gives it.)"""

    PROJECTED = "projected"
    ACHIEVED = "achieved"
    AT_RISK = "at_risk"
    NOT_REACHABLE = "not_reachable"

    @property
    def label(self) -> str:
        """What people see: Projected, Achieved, At risk, Not reachable."""
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Job:
    """One job segment: paid ``weekly_hours × hourly_rate`` a week from ``start`` to
    ``end`` inclusive, or for ever when ``end`` is None."""

    start: date
    end: date | None
    weekly_hours: Decimal
    hourly_rate: Decimal

    def __post_init__(self) -> None:
        _check_positive("weekly_hours", self.weekly_hours)
        _check_positive("hourly_rate", self.hourly_rate)
        if self.end is not None and self.end < self.start:
            raise ValueError(f"Job ends ({self.end}) before it starts ({self.start}).")

    @cached_property  # read for every stretch and day count: worked out once
    def weekly_pay(self) -> Decimal:
        """Hours × rate, exact (not rounded to the penny)."""
        with localcontext(_EXACT):
            return self.weekly_hours * self.hourly_rate


@dataclass(frozen=True)
class Projection:
    """The answer for one milestone.

    ``projected_date`` is the first day on which cumulative earnings reach ``amount``;
    None when current jobs never get there (Not reachable). ``weeks_left`` is whole weeks
    from today, rounded up, 0 once achieved, None when there is no date.
    ``earned_to_date`` is earnings up to and including today, rounded *down* to the
    penny, so it never claims a penny not yet earned.
    """

    amount: Decimal | None
    projected_date: date | None
    status: Status
    weeks_left: int | None
    earned_to_date: Decimal


def project(
    *, jobs: Sequence[Job], amounts: Sequence[Decimal], window_end: date, today: date
) -> list[Projection]:
    """Project each milestone amount (cumulative £, positive and strictly increasing)
    from the participant's jobs; one Projection per amount, in the same order.

    Status: Achieved when the date is today or earlier (even if that was after the
    window end: it happened); else At risk when the date is after ``window_end``; else
    Projected. Not reachable when the jobs end first, and also, in theory, when the date
    would lie beyond the calendar (``date.max``).
    """
    _check_amounts(amounts)
    earned = earnings_on(jobs=jobs, day=today)
    return [
        _projection(amount, day, window_end=window_end, today=today, earned=earned)
        for amount, day in zip(amounts, _dates_reached(jobs, amounts), strict=True)
    ]


def earnings_on(*, jobs: Sequence[Job], day: date) -> Decimal:
    """Cumulative earnings from all jobs up to the end of ``day``, rounded down to the
    penny."""
    with localcontext(_EXACT):
        sevenths = sum((job.weekly_pay * _days_active(job, day) for job in jobs), start=Decimal(0))
        return _pence(sevenths)


@dataclass(frozen=True)
class Period:
    """One period of self-employment, from ``start`` to ``end`` inclusive, or still
    trading when ``end`` is None."""

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"Period ends ({self.end}) before it starts ({self.start}).")


def project_self_employment(
    *, periods: Sequence[Period], window_end: date, today: date
) -> Projection:
    """The self-employed outcome: reached the day after the participant's
    SELF_EMPLOYMENT_DAYS days of self-employment are complete, counted across ``periods``.

    A calendar day counts once however many periods (businesses) cover it; an ended period
    counts only its own days; an open one runs on. When every period has ended short of
    the total (or there are none) it is Not reachable. Status as for ``project``. No
    earnings maths and no mixing with employed earnings: ``amount`` is None (the
    milestone is time, not money) and ``earned_to_date`` is 0.00."""
    day = _self_employment_reached(periods)
    return _projection(None, day, window_end=window_end, today=today, earned=_ZERO)


def _self_employment_reached(periods: Sequence[Period]) -> date | None:
    needed = SELF_EMPLOYMENT_DAYS
    for first, last in _merged(periods):
        length = None if last is None else (last - first).days + 1
        if length is None or length >= needed:
            # Reached once the last of those days is over: the next day (start + 182
            # for one period still trading, as Aptem's start + 26 weeks).
            return _plus_days(first, needed)
        needed -= length
    return None


def _merged(periods: Sequence[Period]) -> list[tuple[date, date | None]]:
    """The periods as disjoint (first, last or None) stretches in date order: overlapping
    or touching periods are joined, so that no day is counted twice."""
    merged: list[tuple[date, date | None]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if merged:
            first, last = merged[-1]
            if last is None:
                break  # an open stretch already covers every later day
            if (period.start - last).days <= 1:
                end = None if period.end is None else max(last, period.end)
                merged[-1] = (first, end)
                continue
        merged.append((period.start, period.end))
    return merged


def _dates_reached(jobs: Sequence[Job], amounts: Sequence[Decimal]) -> list[date | None]:
    """The first day each (increasing) amount is reached, walking the timeline once."""
    with localcontext(_EXACT):
        targets = [7 * amount for amount in amounts]
        reached: list[date | None] = [None] * len(targets)
        earned = Decimal(0)  # in sevenths, before the stretch being looked at
        pending = 0  # index of the first target not yet reached
        for first, stop, pay in _stretches(jobs):
            if pay > 0:
                while pending < len(targets):
                    days = _ceil_div(targets[pending] - earned, pay)
                    if stop is not None and days > (stop - first).days:
                        break
                    reached[pending] = _plus_days(first, days - 1)
                    pending += 1
                if stop is not None:
                    earned += pay * (stop - first).days
        return reached


def _stretches(jobs: Sequence[Job]) -> Iterator[tuple[date, date | None, Decimal]]:
    """Yield (first day, day after the last day or None, total weekly pay) for each
    stretch of days in which the same jobs are active."""
    changes: defaultdict[date, Decimal] = defaultdict(Decimal)
    for job in jobs:
        changes[job.start] += job.weekly_pay
        if job.end is not None and job.end < date.max:
            changes[job.end + timedelta(days=1)] -= job.weekly_pay
    days = sorted(changes)
    pay = Decimal(0)
    for first, stop in pairwise([*days, None]):
        pay += changes[first]
        yield first, stop, pay


def _projection(
    amount: Decimal | None, day: date | None, *, window_end: date, today: date, earned: Decimal
) -> Projection:
    if day is None:
        status, weeks_left = Status.NOT_REACHABLE, None
    elif day <= today:
        status, weeks_left = Status.ACHIEVED, 0
    else:
        status = Status.AT_RISK if day > window_end else Status.PROJECTED
        weeks_left = -(-(day - today).days // 7)
    return Projection(
        amount=amount,
        projected_date=day,
        status=status,
        weeks_left=weeks_left,
        earned_to_date=earned,
    )


def _days_active(job: Job, day: date) -> int:
    last = day if job.end is None else min(day, job.end)
    return max(0, (last - job.start).days + 1)


def _ceil_div(numerator: Decimal, denominator: Decimal) -> int:
    """Exact ceiling of a positive quotient (divmod on Decimals never rounds)."""
    whole, rest = divmod(numerator, denominator)
    return int(whole) + (1 if rest else 0)


def _plus_days(day: date, days: int) -> date | None:
    """``day + days``, or None when that is beyond the last date Python can represent."""
    return day + timedelta(days=days) if days <= (date.max - day).days else None


def _pence(sevenths: Decimal) -> Decimal:
    """Turn an amount in sevenths of a pound into pounds, rounded down to the penny."""
    return (sevenths * 100 // 7).scaleb(-2)


def _check_positive(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    if not (value.is_finite() and value > 0):
        raise ValueError(f"{name} must be more than 0, not {value}.")


def _check_amounts(amounts: Sequence[Decimal]) -> None:
    for amount in amounts:
        _check_positive("Milestone amount", amount)
    for lower, higher in pairwise(amounts):
        if higher <= lower:
            raise ValueError(f"Milestone amounts must increase: {higher} follows {lower}.")

from datetime import date
from decimal import Decimal

import pytest

from programmes.projection import (
    Job,
    Period,
    Projection,
    Status,
    earnings_on,
    project,
    project_self_employment,
)

FAR_WINDOW_END = date(2030, 12, 31)


def day(iso: str) -> date:
    return date.fromisoformat(iso)


def job(start: str, end: str | None = None, *, hours: str = "20", rate: str = "12.21") -> Job:
    """A job segment; the default is 20 hours a week at £12.21 (£244.20 a week)."""
    return Job(
        start=day(start),
        end=day(end) if end else None,
        weekly_hours=Decimal(hours),
        hourly_rate=Decimal(rate),
    )


def ten_a_day(start: str, end: str | None = None) -> Job:
    """£70 a week, so exactly £10 a day: easy to count by hand."""
    return job(start, end, hours="7", rate="10")


def test_project_worked_example_one_open_job():
    jobs = [job("2025-06-02")]

    [projection] = project(
        jobs=jobs, amounts=[Decimal("5079.36")], window_end=FAR_WINDOW_END, today=day("2025-06-01")
    )

    assert projection.projected_date == day("2025-10-25")


def test_project_worked_example_ended_job_carries_forward():
    jobs = [
        job("2025-01-06", "2025-02-28", hours="16", rate="11.44"),
        job("2025-03-10", hours="30", rate="12.21"),
    ]

    projections = project(
        jobs=jobs,
        amounts=[Decimal("1000"), Decimal("4759.04")],
        window_end=FAR_WINDOW_END,
        today=day("2025-01-01"),
    )

    assert [p.projected_date for p in projections] == [day("2025-02-13"), day("2025-05-12")]


@pytest.mark.parametrize(
    ("jobs", "amount", "expected"),
    [
        pytest.param([ten_a_day("2025-06-02")], "10", "2025-06-02", id="one-day-of-pay-on-day-one"),
        pytest.param([ten_a_day("2025-06-02")], "70", "2025-06-08", id="one-week-of-pay-on-day-7"),
        pytest.param(
            [ten_a_day("2025-06-02")], "10.01", "2025-06-03", id="a-penny-more-takes-a-day"
        ),
        pytest.param(
            [ten_a_day("2025-06-02"), ten_a_day("2025-06-04")],
            "50",
            "2025-06-05",
            id="overlapping-jobs-add-up",
        ),
        pytest.param(
            [ten_a_day("2025-06-02"), ten_a_day("2025-06-03", "2025-06-04")],
            "60",
            "2025-06-05",
            id="a-short-second-job-adds-only-while-it-lasts",
        ),
        pytest.param(
            [ten_a_day("2025-06-02", "2025-06-04"), ten_a_day("2025-06-12")],
            "50",
            "2025-06-13",
            id="gaps-between-jobs-earn-nothing",
        ),
        pytest.param(
            [ten_a_day("2025-06-12"), ten_a_day("2025-06-02", "2025-06-04")],
            "50",
            "2025-06-13",
            id="order-of-jobs-does-not-matter",
        ),
        pytest.param(
            [ten_a_day("2025-06-02", "2025-06-08")],
            "70",
            "2025-06-08",
            id="job-ending-on-the-day-reached",
        ),
        pytest.param(
            [ten_a_day("2025-06-02", "2025-06-02")],
            "10",
            "2025-06-02",
            id="end-date-inclusive",
        ),
        pytest.param(
            [ten_a_day("2025-06-02", "2025-06-07")],
            "70",
            None,
            id="job-ending-a-day-short",
        ),
        pytest.param(
            [job("2025-06-02", hours="37.5", rate="12.21")],
            "5079.36",
            "2025-08-18",
            id="pence-precision-rate",
        ),
        pytest.param(
            [job("2025-06-02", hours="16", rate="11.44")],
            "4759.04",
            "2025-11-30",
            id="exactly-26-weeks-at-16-hours",
        ),
        pytest.param(
            [job("2025-06-02", hours="16", rate="11.44")],
            "4759.05",
            "2025-12-01",
            id="a-penny-over-26-weeks",
        ),
        pytest.param(
            [job("2020-01-01", hours="0.01", rate="1")],
            "5",
            "2029-07-31",
            id="a-date-years-away",
        ),
        pytest.param(
            [job("2025-06-02", hours="0.01", rate="0.01")],
            "1000000",
            None,
            id="a-date-beyond-the-calendar",
        ),
    ],
)
def test_project_date_reached(jobs, amount, expected):
    amounts = [Decimal(amount)]

    [projection] = project(
        jobs=jobs, amounts=amounts, window_end=FAR_WINDOW_END, today=day("2025-01-01")
    )

    assert projection.projected_date == (day(expected) if expected else None)


def test_project_job_ending_first_is_not_reachable_with_earnings_so_far():
    jobs = [job("2025-06-02", "2025-06-15")]

    projections = project(
        jobs=jobs,
        amounts=[Decimal("400"), Decimal("500")],
        window_end=FAR_WINDOW_END,
        today=day("2025-07-01"),
    )

    assert projections == [
        Projection(Decimal("400"), day("2025-06-13"), Status.ACHIEVED, 0, Decimal("488.40")),
        Projection(Decimal("500"), None, Status.NOT_REACHABLE, None, Decimal("488.40")),
    ]


def test_project_without_jobs_is_not_reachable():
    amounts = [Decimal("100"), Decimal("200")]

    projections = project(
        jobs=[], amounts=amounts, window_end=FAR_WINDOW_END, today=day("2025-01-01")
    )

    assert [(p.projected_date, p.status, p.weeks_left, p.earned_to_date) for p in projections] == [
        (None, Status.NOT_REACHABLE, None, Decimal("0")),
        (None, Status.NOT_REACHABLE, None, Decimal("0")),
    ]


def test_project_without_amounts_is_empty():
    jobs = [job("2025-06-02")]

    projections = project(jobs=jobs, amounts=[], window_end=FAR_WINDOW_END, today=day("2025-06-02"))

    assert projections == []


# One open job at £10 a day from 2 June 2025 reaches £70 on 8 June 2025.
@pytest.mark.parametrize(
    ("today", "window_end", "status", "weeks_left"),
    [
        pytest.param("2025-06-07", "2025-12-31", Status.PROJECTED, 1, id="1-day-left-is-1-week"),
        pytest.param("2025-06-01", "2025-12-31", Status.PROJECTED, 1, id="7-days-left-is-1-week"),
        pytest.param("2025-05-31", "2025-12-31", Status.PROJECTED, 2, id="8-days-left-is-2-weeks"),
        pytest.param("2025-01-01", "2025-12-31", Status.PROJECTED, 23, id="start-in-the-future"),
        pytest.param("2025-06-08", "2025-12-31", Status.ACHIEVED, 0, id="today-is-the-date"),
        pytest.param("2025-07-01", "2025-12-31", Status.ACHIEVED, 0, id="today-after-the-date"),
        pytest.param("2025-06-01", "2025-06-08", Status.PROJECTED, 1, id="date-is-the-window-end"),
        pytest.param("2025-06-01", "2025-06-07", Status.AT_RISK, 1, id="date-after-the-window-end"),
        pytest.param(
            "2025-07-01", "2025-06-07", Status.ACHIEVED, 0, id="achieved-after-the-window"
        ),
    ],
)
def test_project_status(today, window_end, status, weeks_left):
    jobs = [ten_a_day("2025-06-02")]

    [projection] = project(
        jobs=jobs, amounts=[Decimal("70")], window_end=day(window_end), today=day(today)
    )

    assert (projection.projected_date, projection.status, projection.weeks_left) == (
        day("2025-06-08"),
        status,
        weeks_left,
    )


# Two weeks at £244.20 a week, £34.885714… a day.
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param("2025-06-01", "0.00", id="before-any-job-starts"),
        pytest.param("2025-06-02", "34.88", id="first-day-rounds-down"),
        pytest.param("2025-06-04", "104.65", id="mid-job-rounds-down"),
        pytest.param("2025-06-08", "244.20", id="a-whole-week"),
        pytest.param("2025-06-15", "488.40", id="last-day-of-the-job"),
        pytest.param("2026-01-01", "488.40", id="after-the-job-ends"),
    ],
)
def test_earnings_on(today, expected):
    jobs = [job("2025-06-02", "2025-06-15")]

    earned = earnings_on(jobs=jobs, day=day(today))

    assert (earned, str(earned)) == (Decimal(expected), expected)


def test_project_earned_to_date_is_earnings_up_to_today():
    jobs = [job("2025-06-02"), ten_a_day("2025-06-03", "2025-06-03")]

    projections = project(
        jobs=jobs,
        amounts=[Decimal("10"), Decimal("10000")],
        window_end=FAR_WINDOW_END,
        today=day("2025-06-04"),
    )

    assert [p.earned_to_date for p in projections] == [Decimal("114.65"), Decimal("114.65")]


def test_job_weekly_pay_is_exact():
    full_time = job("2025-06-02", hours="37.5", rate="12.21")

    pay = full_time.weekly_pay

    assert pay == Decimal("457.875")


@pytest.mark.parametrize(
    ("today", "window_end", "status", "weeks_left"),
    [
        pytest.param("2025-06-02", "2026-06-01", Status.PROJECTED, 26, id="on-the-start-day"),
        pytest.param("2025-11-30", "2026-06-01", Status.PROJECTED, 1, id="the-day-before"),
        pytest.param("2025-12-01", "2026-06-01", Status.ACHIEVED, 0, id="on-the-day"),
        pytest.param("2026-01-01", "2026-06-01", Status.ACHIEVED, 0, id="after-the-day"),
        pytest.param("2025-06-02", "2025-12-01", Status.PROJECTED, 26, id="on-the-window-end"),
        pytest.param("2025-06-02", "2025-11-30", Status.AT_RISK, 26, id="after-the-window-end"),
    ],
)
def test_project_self_employment(today, window_end, status, weeks_left):
    start = day("2025-06-02")

    periods = [Period(start=start, end=None)]

    projection = project_self_employment(
        periods=periods, window_end=day(window_end), today=day(today)
    )

    assert projection == Projection(None, day("2025-12-01"), status, weeks_left, Decimal("0.00"))


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        pytest.param([("2025-06-02", None)], "2025-12-01", id="one-open-period"),
        pytest.param([("2025-06-02", "2025-09-01")], None, id="one-ended-short"),
        pytest.param([("2025-06-02", "2025-11-30")], "2025-12-01", id="ended-on-day-182"),
        pytest.param([("2025-06-02", "2025-11-29")], None, id="ended-on-day-181"),
        pytest.param(
            [("2025-01-01", "2025-03-31"), ("2025-06-01", "2025-08-31")],
            "2025-09-01",
            id="two-periods-summing-to-182",
        ),
        pytest.param(
            [("2025-01-01", "2025-03-31"), ("2025-06-01", None)],
            "2025-09-01",
            id="a-gap-then-open",
        ),
        pytest.param(
            [("2025-06-02", "2025-09-01"), ("2025-07-01", "2025-09-01")],
            None,
            id="overlapping-counted-once",
        ),
        pytest.param(
            [("2025-06-02", None), ("2025-06-10", "2025-07-01")],
            "2025-12-01",
            id="overlap-with-open-period",
        ),
        pytest.param(
            [("2025-06-02", "2025-06-30"), ("2025-07-01", None)],
            "2025-12-01",
            id="touching-periods",
        ),
        pytest.param([("2030-01-01", None)], "2030-07-02", id="start-in-the-future"),
        pytest.param([], None, id="no-periods"),
    ],
)
def test_project_self_employment_date_reached(periods, expected):
    given = [Period(start=day(start), end=day(end) if end else None) for start, end in periods]

    projection = project_self_employment(
        periods=given, window_end=day("2040-01-01"), today=day("2025-06-01")
    )

    assert projection.projected_date == (day(expected) if expected else None)
    assert (projection.status == Status.NOT_REACHABLE) == (expected is None)


def test_status_labels():
    statuses = list(Status)

    labels = [status.label for status in statuses]

    assert labels == ["Projected", "Achieved", "At risk", "Not reachable"]


@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param(["100", "100"], id="equal"),
        pytest.param(["200", "100"], id="decreasing"),
        pytest.param(["0"], id="zero"),
        pytest.param(["-5", "100"], id="negative"),
        pytest.param(["NaN"], id="not-a-number"),
        pytest.param(["Infinity"], id="infinite"),
    ],
)
def test_project_invalid_amounts_raise(amounts):
    jobs = [job("2025-06-02")]

    with pytest.raises(ValueError, match="amount"):
        project(
            jobs=jobs,
            amounts=[Decimal(a) for a in amounts],
            window_end=FAR_WINDOW_END,
            today=day("2025-06-02"),
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"hours": "0"}, "weekly_hours", id="zero-hours"),
        pytest.param({"hours": "-1"}, "weekly_hours", id="negative-hours"),
        pytest.param({"rate": "0"}, "hourly_rate", id="zero-rate"),
        pytest.param({"rate": "-12.21"}, "hourly_rate", id="negative-rate"),
        pytest.param({"end": "2025-06-01"}, "before it starts", id="end-before-start"),
    ],
)
def test_job_invalid_raises(fields, message):
    arguments = {"start": "2025-06-02"} | fields

    with pytest.raises(ValueError, match=message):
        job(**arguments)


def test_job_float_hours_raise():
    hours = 20.0

    with pytest.raises(TypeError, match="Decimal"):
        Job(start=day("2025-06-02"), end=None, weekly_hours=hours, hourly_rate=Decimal("12.21"))

"""Second-line QA sampling: the population, the draw, results and error rates
(reviews.sampling)."""

import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.models import QaSample, QaSampleItem
from reviews.sampling import (
    AdviserRate,
    approved_trackers_for,
    draw_sample,
    error_rates,
    record_result,
    sample_size,
)
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

APPROVED = Tracker.Status.APPROVED
Result = QaSampleItem.Result


def approved(count: int, **fields) -> list[Tracker]:
    return TrackerFactory.create_batch(count, status=APPROVED, **fields)


def drawn(sample: QaSample) -> list[int]:
    return list(sample.items.order_by("tracker_id").values_list("tracker_id", flat=True))


def draw(trackers, *, percent="10", seed=7, drawn_by, filters=None) -> QaSample:
    return draw_sample(
        trackers=trackers,
        percent=Decimal(percent),
        seed=seed,
        filters=filters or {},
        drawn_by=drawn_by,
    )


@pytest.fixture
def sample_of(supervisor):
    """A stored sample of the given trackers, each item pending."""

    def make(trackers: list[Tracker]) -> QaSample:
        sample = QaSample.objects.create(
            drawn_by=supervisor, percent=Decimal(100), seed=1, population=len(trackers)
        )
        QaSampleItem.objects.bulk_create(
            QaSampleItem(sample=sample, tracker=tracker) for tracker in trackers
        )
        return sample

    return make


# The population


def test_approved_trackers_for_is_only_approved_trackers_of_the_users_teams(north, south):
    user = UserFactory(teams=[north])
    ours = TrackerFactory(status=APPROVED, participant__team=north)
    TrackerFactory(status=Tracker.Status.IN_REVIEW, participant__team=north)
    TrackerFactory(status=Tracker.Status.NEW, participant__team=north)
    TrackerFactory(status=APPROVED, participant__team=south)

    population = approved_trackers_for(user)

    assert list(population) == [ours]


def test_approved_trackers_for_is_every_team_for_who_sees_every_team(north, south):
    user = UserFactory(teams=[north])
    user.user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    trackers = [
        TrackerFactory(status=APPROVED, participant__team=north),
        TrackerFactory(status=APPROVED, participant__team=south),
    ]

    population = approved_trackers_for(user)

    assert set(population) == set(trackers)


# The sample's size


@pytest.mark.parametrize(
    ("population", "percent", "size"),
    [
        (25, "10", 3),  # 2.5 rounds up
        (5, "1", 1),  # at least one
        (20, "10", 2),  # exact
        (1000, "0.01", 1),
        (7, "100", 7),
        (3, "99.99", 3),
        (0, "10", 0),
    ],
)
def test_sample_size_rounds_up_to_at_least_one(population, percent, size):
    result = sample_size(population, Decimal(percent))

    assert result == size


# Drawing


def test_draw_sample_stores_the_sample_and_its_items(supervisor):
    trackers = approved(25)
    filters = {"team": 3, "started_from": "2025-01-01"}

    sample = draw(
        Tracker.objects.all(), percent="10", seed=42, filters=filters, drawn_by=supervisor
    )

    ids = sorted(tracker.pk for tracker in trackers)
    sample.refresh_from_db()
    assert (sample.drawn_by, sample.percent, sample.seed, sample.population, sample.filters) == (
        supervisor,
        Decimal("10.00"),
        42,
        25,
        filters,
    )
    assert drawn(sample) == sorted(random.Random(42).sample(ids, 3))
    assert set(sample.items.values_list("result", "note", "checked_by")) == {
        (Result.PENDING, "", None)
    }


def test_draw_sample_same_seed_and_population_draws_the_same_trackers(supervisor):
    approved(40)

    first = draw(Tracker.objects.all(), percent="25", seed=2024, drawn_by=supervisor)
    # The population in another order: the draw sorts it.
    second = draw(Tracker.objects.order_by("?"), percent="25", seed=2024, drawn_by=supervisor)

    assert len(drawn(first)) == 10
    assert drawn(second) == drawn(first)


def test_draw_sample_another_seed_draws_other_trackers(supervisor):
    approved(40)

    first = draw(Tracker.objects.all(), percent="25", seed=1, drawn_by=supervisor)
    second = draw(Tracker.objects.all(), percent="25", seed=2, drawn_by=supervisor)

    assert drawn(second) != drawn(first)


def test_draw_sample_one_percent_of_five_draws_one(supervisor):
    approved(5)

    sample = draw(Tracker.objects.all(), percent="1", drawn_by=supervisor)

    assert (sample.population, len(drawn(sample))) == (5, 1)


def test_draw_sample_empty_population_draws_nothing(supervisor):
    TrackerFactory(status=Tracker.Status.NEW)

    with pytest.raises(ValidationError) as raised:
        draw(Tracker.objects.filter(status=APPROVED), drawn_by=supervisor)

    assert raised.value.messages == ["No approved trackers match."]
    assert (QaSample.objects.count(), QaSampleItem.objects.count()) == (0, 0)


@pytest.mark.parametrize("percent", ["0", "-5", "100.01"])
def test_draw_sample_percent_out_of_range_draws_nothing(supervisor, percent):
    approved(3)

    with pytest.raises(ValidationError) as raised:
        draw(Tracker.objects.all(), percent=percent, drawn_by=supervisor)

    assert raised.value.messages == ["Enter a percentage more than 0 and no more than 100."]
    assert QaSample.objects.count() == 0


# Results


def test_record_result_passed_records_who_and_when(supervisor, sample_of):
    item = sample_of(approved(1)).items.get()
    checker = UserFactory()
    before = timezone.now()

    record_result(item=item, result=Result.PASSED, note="", checked_by=checker)

    item.refresh_from_db()
    assert (item.result, item.note, item.checked_by) == (Result.PASSED, "", checker)
    assert before <= item.checked_at <= timezone.now()


def test_record_result_failed_keeps_the_note(supervisor, sample_of):
    item = sample_of(approved(1)).items.get()

    record_result(
        item=item,
        result=Result.FAILED,
        note="  Payslip is for another job. ",
        checked_by=supervisor,
    )

    item.refresh_from_db()
    assert (item.result, item.note, item.checked_by) == (
        Result.FAILED,
        "Payslip is for another job.",
        supervisor,
    )


@pytest.mark.parametrize("note", ["", "   "])
def test_record_result_failed_needs_a_note(supervisor, sample_of, note):
    item = sample_of(approved(1)).items.get()

    with pytest.raises(ValidationError) as raised:
        record_result(item=item, result=Result.FAILED, note=note, checked_by=supervisor)

    item.refresh_from_db()
    assert raised.value.message_dict == {"note": ["Enter a note saying what failed."]}
    assert (item.result, item.checked_by, item.checked_at) == (Result.PENDING, None, None)


def test_record_result_pending_is_refused(supervisor, sample_of):
    item = sample_of(approved(1)).items.get()

    with pytest.raises(ValidationError) as raised:
        record_result(item=item, result=Result.PENDING, note="", checked_by=supervisor)

    assert raised.value.message_dict == {"result": ["Choose Passed or Failed."]}


def test_record_result_twice_keeps_the_first(supervisor, sample_of):
    item = sample_of(approved(1)).items.get()
    record_result(item=item, result=Result.FAILED, note="No payslip.", checked_by=supervisor)
    stale = QaSampleItem.objects.get(pk=item.pk)
    stale.result = Result.PENDING

    with pytest.raises(ValidationError) as raised:
        record_result(item=stale, result=Result.PASSED, note="", checked_by=UserFactory())

    item.refresh_from_db()
    assert raised.value.messages == ["A result has already been recorded for this tracker."]
    assert (item.result, item.note, item.checked_by) == (Result.FAILED, "No payslip.", supervisor)


# Error rates


def test_error_rates_per_adviser_exactly(supervisor, sample_of, north):
    ann = UserFactory(first_name="Ann", last_name="Adams")
    bob = UserFactory(first_name="Bob", last_name="Brown")
    anns = [TrackerFactory(status=APPROVED, participant__adviser=ann) for _ in range(5)]
    bobs = [TrackerFactory(status=APPROVED, participant__adviser=bob) for _ in range(3)]
    nobodys = [TrackerFactory(status=APPROVED, participant__adviser=None)]
    sample = sample_of([*anns, *bobs, *nobodys])
    results = [
        (anns[0], Result.FAILED),
        (anns[1], Result.PASSED),
        (anns[2], Result.PASSED),
        (anns[3], Result.PASSED),
        # anns[4] not checked yet: it does not count
        (bobs[0], Result.FAILED),
        (bobs[1], Result.PASSED),
        (bobs[2], Result.PASSED),
        (nobodys[0], Result.FAILED),
    ]
    for tracker, result in results:
        record_result(
            item=sample.items.get(tracker=tracker),
            result=result,
            note="Wrong start date.",
            checked_by=supervisor,
        )

    rates = error_rates(sample.items.all())

    assert rates == [
        AdviserRate(adviser="Ann Adams", checked=4, failed=1, rate=Decimal("25.0")),
        AdviserRate(adviser="Bob Brown", checked=3, failed=1, rate=Decimal("33.3")),
        AdviserRate(adviser="No adviser", checked=1, failed=1, rate=Decimal("100.0")),
    ]


def test_error_rates_count_only_the_items_given(supervisor, sample_of, north, south):
    ann = UserFactory(first_name="Ann", last_name="Adams")
    ours = TrackerFactory(status=APPROVED, participant=ParticipantFactory(team=north, adviser=ann))
    theirs = TrackerFactory(
        status=APPROVED, participant=ParticipantFactory(team=south, adviser=ann)
    )
    sample = sample_of([ours, theirs])
    for item in sample.items.all():
        record_result(item=item, result=Result.FAILED, note="No payslip.", checked_by=supervisor)

    rates = error_rates(sample.items.filter(tracker__participant__team=north))

    assert rates == [AdviserRate(adviser="Ann Adams", checked=1, failed=1, rate=Decimal("100.0"))]


def test_error_rates_nothing_checked_is_no_rows(sample_of):
    sample = sample_of(approved(2))

    rates = error_rates(sample.items.all())

    assert rates == []

"""Keyset pages: walked forward and back, they give exactly the list in its order, ties
and NULL dates included, on either engine; a cursor that was not made by the list is
the first page, never an error."""

import dataclasses
import datetime

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.pagination import (
    MAX_PAGE,
    CursorRefused,
    Keyset,
    decode_cursor,
    encode_cursor,
    keyset_paginate,
)
from milestones.models import ParticipantMilestone
from participants.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

BY_DATE = Keyset(("projected_date", "id"), nulls_last=True)
LATEST_FIRST = Keyset(("projected_date", "id"), descending=True)
BY_NAME = Keyset(("last_name", "first_name", "id"))

DAY = datetime.date(2026, 3, 2)
# Few distinct dates, so that most rows tie on the date; None is "Not reachable".
dates = st.one_of(st.none(), st.integers(0, 3).map(lambda n: DAY + datetime.timedelta(n)))


def walk(queryset, keyset, per_page, **options):
    """Every page, following Next from the first and then Previous from the last: the
    rows of each walk in list order, and the page numbers seen."""
    forward, numbers = [], []
    page = keyset_paginate(queryset, keyset, per_page=per_page, **options)
    while True:
        forward += page.rows
        numbers.append(page.number)
        if not page.has_next:
            break
        page = keyset_paginate(
            queryset, keyset, after=page.next_cursor, per_page=per_page, **options
        )
    backward_pages = [page.rows]
    while page.has_previous:
        page = keyset_paginate(
            queryset, keyset, before=page.previous_cursor, per_page=per_page, **options
        )
        backward_pages.append(page.rows)
        numbers.append(page.number)
    backward = [row for rows in reversed(backward_pages) for row in rows]
    return forward, backward, numbers


@pytest.fixture
def participant(north):
    return ParticipantFactory(team=north)


def store(participant, projected):
    ParticipantMilestone.objects.all().delete()
    ParticipantMilestone.objects.bulk_create(
        ParticipantMilestone(
            participant=participant, name="Job outcome", projected_date=date, calculated_on=DAY
        )
        for date in projected
    )
    return ParticipantMilestone.objects.all()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    projected=st.lists(dates, max_size=14),
    per_page=st.integers(1, 4),
    upcoming=st.booleans(),
)
def test_keyset_walk_gives_the_ordered_list_with_ties_and_nulls_last(
    participant, projected, per_page, upcoming
):
    milestones = store(participant, projected)
    keyset = BY_DATE
    if upcoming:  # as the Milestones page's "upcoming": from a day on, or no date
        since = DAY + datetime.timedelta(1)
        milestones = milestones.filter(Q(projected_date__gte=since) | Q(projected_date=None))
        keyset = dataclasses.replace(BY_DATE, least=since)
    expected = list(milestones.order_by(*BY_DATE.ordering()))

    forward, backward, numbers = walk(milestones, keyset, per_page)

    assert forward == expected
    assert backward == expected
    pages = max(1, -(-len(expected) // per_page))
    assert numbers == [*range(1, pages + 1), *range(pages - 1, 0, -1)]
    assert [m.projected_date is None for m in expected] == sorted(
        m.projected_date is None for m in expected
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(projected=st.lists(dates.filter(bool), max_size=12), per_page=st.integers(1, 4))
def test_keyset_walk_latest_first(participant, projected, per_page):
    milestones = store(participant, projected)
    expected = list(milestones.order_by("-projected_date", "-id"))

    forward, backward, _ = walk(milestones, LATEST_FIRST, per_page)

    assert forward == backward == expected


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.tuples(st.sampled_from(["Ng", "Nowak", "O'Brien"]), st.sampled_from(["Al", "Amy"])),
        max_size=10,
    ),
    per_page=st.integers(1, 3),
    narrow=st.booleans(),
)
def test_keyset_walk_by_name_with_ties(north, names, per_page, narrow, monkeypatch):
    monkeypatch.setattr("common.pagination.COUNT_LIMIT", 4)  # up to 4 narrowed, more not
    Participant.objects.all().delete()
    for last, first in names:
        ParticipantFactory(team=north, last_name=last, first_name=first, nino="")
    participants = Participant.objects.all()
    expected = list(participants.order_by("last_name", "first_name", "id"))

    forward, backward, _ = walk(participants, BY_NAME, per_page, narrow=narrow)

    assert forward == backward == expected


def test_keyset_page_after_the_last_dated_row_runs_into_the_undated(participant):
    milestones = store(participant, [DAY, DAY, None, None])
    _, second, *_ = milestones.order_by(*BY_DATE.ordering())

    page = keyset_paginate(
        milestones, BY_DATE, after=encode_cursor(2, [second.projected_date, second.pk]), per_page=5
    )

    assert [m.projected_date for m in page.rows] == [None, None]
    assert (page.number, page.has_previous, page.has_next) == (2, True, False)


def test_keyset_pages_are_counted_up_to_the_limit(
    participant, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("common.pagination.COUNT_LIMIT", 3)
    milestones = store(participant, [DAY] * 6)

    with django_assert_num_queries(2):  # the page (dated rows fill it) and the count
        page = keyset_paginate(milestones, BY_DATE, per_page=2)

    assert (page.found, page.found_more_than_limit) == (4, True)


def test_a_cursor_reads_back_as_it_was_made():
    token = encode_cursor(7, [DAY, 42])

    assert decode_cursor(token, ParticipantMilestone, BY_DATE) == (7, [DAY, 42])
    assert decode_cursor(encode_cursor(2, [None, 3]), ParticipantMilestone, BY_DATE) == (
        2,
        [None, 3],
    )


TAMPERED = [
    "x",
    "!!!!",
    "bm90IGpzb24",  # "not json"
    encode_cursor(1, [DAY]),  # too few values
    encode_cursor(1, ["2026-02-30", 1]),  # no such day
    encode_cursor(1, ["2026-03-02", "one"]),
    encode_cursor(1, ["2026-03-02", 2**70]),  # no database holds it
    encode_cursor(1, [True, 1]),
    encode_cursor(1, [["2026-03-02"], 1]),
    encode_cursor(0, ["2026-03-02", 1]),
    encode_cursor(MAX_PAGE + 1, ["2026-03-02", 1]),
    encode_cursor(1, ["2026-03-02\x00", 1]),
    encode_cursor(1, [None, None]),
]


@pytest.mark.parametrize("token", TAMPERED)
def test_a_tampered_cursor_is_refused(token):
    with pytest.raises(CursorRefused):
        decode_cursor(token, ParticipantMilestone, BY_DATE)


@pytest.mark.parametrize("token", TAMPERED)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_tampered_cursor_gives_the_first_page(participant, token, direction):
    milestones = store(participant, [DAY, None])

    page = keyset_paginate(milestones, BY_DATE, per_page=1, **{direction: token})

    assert (page.rows, page.number, page.cursor_refused) == (
        list(milestones.order_by(*BY_DATE.ordering()))[:1], 1, True,
    )  # fmt: skip

"""The Milestones page's keyset pages must be ranges of the date index on each engine,
the first page and a deep one alike, not a walk of every row before them."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict

from common.pagination import encode_cursor, keyset_paginate
from milestones.exports import visible_milestones
from milestones.forms import MilestoneFilterForm
from milestones.models import ParticipantMilestone
from participants.models import Team
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = 3000
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def many_milestones(north, south):
    participants = [ParticipantFactory(team=team) for team in (north, south) for _ in range(3)]
    ParticipantMilestone.objects.bulk_create(
        ParticipantMilestone(
            participant=participants[number % 6],
            name="Job outcome",
            projected_date=None if number % 10 == 0 else TODAY + datetime.timedelta(number % 700 - 350),
            calculated_on=TODAY,
        )
        for number in range(ROWS)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # as at a provider's size
            cursor.execute("SET LOCAL enable_bitmapscan = off")


@pytest.mark.parametrize("deep", [False, True], ids=["first page", "deep page"])
def test_upcoming_page_of_a_team_is_a_range_of_the_date_index(many_milestones, north, deep):
    user = UserFactory(teams=[north])
    form = MilestoneFilterForm(QueryDict(""), teams=Team.objects.all())
    milestones = form.filter(visible_milestones(user).for_list(), today=TODAY)
    key = [TODAY + datetime.timedelta(100), 1500] if deep else None
    dated = form.keyset.segments(milestones, key, backwards=False)[0][:26]

    plan = dated.explain()

    if connection.vendor == "sqlite":
        assert "USING INDEX milestone_due (projected_date>?" in plan
        assert "TEMP B-TREE" not in plan
    else:
        assert "Index Scan using milestone_due" in plan
        assert ("ROW(projected_date, id) >" in plan) == deep
    page = keyset_paginate(milestones, form.keyset, after=encode_cursor(2, key) if key else "")
    assert all(m.participant.team == north for m in page.rows)

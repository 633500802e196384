"""``common.lookups.AnyOf`` on both engines: the rows whose column is one of the values,
with the values as one array on PostgreSQL and as a list elsewhere."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from common.lookups import AnyOf
from participants.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_rows_whose_column_is_one_of_the_values():
    first, _, third = ParticipantFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        found = set(Participant.objects.filter(AnyOf(F("pk"), [first.pk, third.pk, -1])))
    by_team = Participant.objects.filter(AnyOf(F("team_id"), [first.team_id]))

    assert found == {first, third}
    assert by_team.count() == 3
    assert Participant.objects.filter(AnyOf(F("pk"), [])).count() == 0
    sql = captured.captured_queries[0]["sql"]
    assert ("= ANY(" in sql) == (connection.vendor == "postgresql")

"""The grid's search and order must use real indexes on each engine, not scan the table."""

import pytest
from django.db import connection

from participants.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_participants(north):
    ParticipantFactory.create_batch(30, team=north)
    if connection.vendor == "postgresql":
        # A 30-row table is cheaper to scan, so ask whether the index is usable at all.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_search_uses_the_trigram_index_on_postgresql(some_participants):
    plan = Participant.objects.search("smith").explain()

    assert "participant_search_trgm" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_search_uses_the_fts5_trigram_table_on_sqlite(some_participants):
    plan = Participant.objects.search("smith").explain()

    assert "participants_participant_fts VIRTUAL TABLE INDEX" in plan


def test_grid_order_uses_the_name_index(some_participants):
    plan = Participant.objects.order_by("last_name", "first_name", "id")[:26].explain()

    assert "participant_name_order" in plan

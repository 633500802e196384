"""The grid's search and order must use real indexes on each engine, not scan the table."""

import pytest
from django.db import connection

from participants.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

ROWS = 3000


@pytest.fixture
def many_participants(north):
    """Enough rows, with fresh statistics, that a planner prefers an index to a scan."""
    template = ParticipantFactory(team=north, last_name="Smithson", reference="TARGET")
    Participant.objects.bulk_create(
        Participant(
            **{
                field.attname: getattr(template, field.attname)
                for field in Participant._meta.concrete_fields
                if not field.generated and not field.primary_key
            }
            | {"reference": f"P{number:06d}", "last_name": f"Name{number}", "nino": ""}
        )
        for number in range(ROWS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_search_uses_the_trigram_index_on_postgresql(many_participants):
    with connection.cursor() as cursor:
        # At this size a scan still costs less than at a provider's; rule it out.
        cursor.execute("SET LOCAL enable_seqscan = off")

    # Unordered: with ORDER BY and few rows, walking the name index is cheaper still.
    plan = Participant.objects.search("smithson").order_by().explain()

    assert "participant_search_trgm" in plan
    assert list(Participant.objects.search("smithson").values_list("reference", flat=True)) == [
        "TARGET"
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_search_uses_the_fts5_trigram_table_on_sqlite(many_participants):
    plan = Participant.objects.search("smithson").explain()

    assert "participants_participant_fts VIRTUAL TABLE INDEX" in plan


def test_grid_order_uses_the_name_index(many_participants):
    plan = Participant.objects.order_by("last_name", "first_name", "id")[:26].explain()

    assert "participant_name_order" in plan


def test_a_whole_nino_is_found_by_the_unique_nino_index(many_participants):
    ParticipantFactory(reference="BY-NINO", nino="CE987654D")

    searched = Participant.objects.search("ce 98 76 54 d").order_by()

    assert "participant_nino_unique" in searched.explain()
    assert list(searched.values_list("reference", flat=True)) == ["BY-NINO"]

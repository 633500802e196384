"""Trigram search indexes for the participant grid, one per engine.

PostgreSQL: a GIN trigram index on ``search_text``, which ``LIKE '%term%'`` uses.
SQLite: an FTS5 table with the trigram tokenizer (SQLite >= 3.34), kept in step with
the participant table by triggers; ``ParticipantQuerySet.search`` queries it with MATCH.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE participants_participant_fts USING fts5(
        search_text, content='participants_participant', content_rowid='id',
        tokenize='trigram')""",
    """CREATE TRIGGER participants_participant_fts_insert
        AFTER INSERT ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER participants_participant_fts_delete
        AFTER DELETE ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(participants_participant_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER participants_participant_fts_update
        AFTER UPDATE ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(participants_participant_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO participants_participant_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO participants_participant_fts(participants_participant_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS participants_participant_fts_insert",
    "DROP TRIGGER IF EXISTS participants_participant_fts_delete",
    "DROP TRIGGER IF EXISTS participants_participant_fts_update",
    "DROP TABLE IF EXISTS participants_participant_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS participant_search_trgm
        ON participants_participant USING gin (search_text gin_trgm_ops)""",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS participant_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]

"""A version on participants, for optimistic locking (common.versions).

On SQLite, adding a NOT NULL column rebuilds the participant table, which drops the
triggers that keep the search table (0002_search_index) in step: they are made again.
"""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS participants_participant_fts_insert
        AFTER INSERT ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS participants_participant_fts_delete
        AFTER DELETE ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(participants_participant_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS participants_participant_fts_update
        AFTER UPDATE ON participants_participant BEGIN
        INSERT INTO participants_participant_fts(participants_participant_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO participants_participant_fts(rowid, search_text)
        VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO participants_participant_fts(participants_participant_fts) VALUES ('rebuild')",
]


def remake_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_search_index")]

    operations = [
        migrations.AddField(
            model_name="historicalparticipant",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="participant",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(remake_search_triggers, migrations.RunPython.noop),
    ]

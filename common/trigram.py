"""Trigram indexes for the admin's free-text searches, created on PostgreSQL only.

Django's ``icontains`` becomes ``UPPER(col::text) LIKE UPPER('%term%')`` on PostgreSQL, so
a GIN trigram index on ``UPPER(col)`` answers it where a B-tree cannot. SQLite has no
such index: there a free-text admin search reads the table until it has filled a page
(quick for a common word) or reached the end (a rare one: a scan, ~100k trackers or
~40k organisations at a prime provider's). Used by the migrations of the apps that own
the columns.
"""

from django.db import migrations


def trigram_index(table: str, column: str, name: str) -> migrations.RunPython:
    """A migration operation adding (and on reversal dropping) the index on PostgreSQL."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forward, backward, elidable=False)

"""Trigram indexes for the admin's free-text searches, created on PostgreSQL only.

Django's ``icontains`` becomes ``UPPER(col::text) LIKE UPPER('%term%')`` on PostgreSQL, so
a GIN trigram index on ``UPPER(col)`` answers it where a B-tree cannot; SQLite has no
such index and scans (see README "Django admin at scale"). Used by the migrations of the
apps that own the columns.
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

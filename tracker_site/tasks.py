"""Scheduled upkeep of the project's database (``manage.py crontask`` enqueues it)."""

from crontask import cron
from django.db import connection
from django.tasks import task

# Rows SQLite reads of each index to estimate its statistics: enough to tell a selective
# index from a poor one, in well under a second at a prime provider's size.
SQLITE_ANALYSIS_LIMIT = 1000


@cron("45 3 * * *")
@task
def refresh_planner_statistics() -> None:
    """On SQLite, ``ANALYZE`` (sampled): without statistics for an index that a migration
    added, its planner can walk 125,000 participants to find a reviewer's few trackers
    where the assignee index finds them at once. PostgreSQL's autovacuum analyses its
    tables by itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")

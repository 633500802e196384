"""Scheduled upkeep of the project's database (``manage.py crontask`` enqueues it)."""

from crontask import cron
from django.db import connection
from django.tasks import task


@cron("45 3 * * *")
@task
def refresh_planner_statistics() -> None:
    """On SQLite, ``ANALYZE`` (1.5 s at a prime provider's size). Without statistics for
    an index that a migration added, its planner walked 125,000 participants for a
    reviewer's few trackers where the assignee index finds them at once; with statistics
    from a sample (``analysis_limit``) it sorted a whole team for the grid's first page.
    PostgreSQL's autovacuum analyses its tables by itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

"""Scheduled upkeep of jobs (``manage.py crontask`` enqueues it; a worker runs it)."""

from crontask import cron
from django.tasks import task

from jobs.services import requeue_stale_jobs


# Often enough that a job whose worker died is back in the queue within minutes.
@cron("*/2 * * * *")
@task
def requeue_stale() -> None:
    requeue_stale_jobs()

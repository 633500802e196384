"""Scheduled upkeep of jobs (``manage.py crontask`` enqueues it; a worker runs it)."""

from crontask import cron
from django.core.management import call_command
from django.tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from jobs.services import requeue_stale_jobs

# How long the database backend keeps a finished task's row (the Job rows stay).
TASK_RESULTS_KEPT_DAYS = 14


# Often enough that a job whose worker died is back in the queue within minutes.
@cron("*/2 * * * *")
@task
def requeue_stale() -> None:
    requeue_stale_jobs()


# The database backend keeps a row for every task run: 720 a day from requeue_stale alone.
@cron("15 3 * * *")
@task
def prune_task_results() -> None:
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=TASK_RESULTS_KEPT_DAYS, verbosity=0)

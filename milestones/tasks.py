"""The milestones app's background tasks (django.tasks); each runs a ``jobs.Job``."""

from django.tasks import task

from jobs.runner import run_job
from milestones.exports import write_milestones_csv


@task
def export_milestones(job_id: int) -> None:
    run_job(job_id, write_milestones_csv)

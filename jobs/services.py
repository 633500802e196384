"""Starting jobs and putting back those whose worker died.

A job is a ``Job`` row plus a task (``django.tasks``) that runs it: the row is created
here, and the task is enqueued only once the transaction that made the row commits, so a
worker never looks for a row that is not there yet (or that a rollback took away).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status


def stale_after() -> datetime.timedelta:
    """A running job whose heartbeat is older than this has lost its worker."""
    return datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)


@transaction.atomic
def start_job(
    *, task: Task, kind: str, title: str, started_by: AbstractBaseUser, parameters: dict
) -> Job:
    """Create the job (Queued) and enqueue ``task(job_id)`` when the transaction commits.

    ``parameters`` are the task's to read; a ``done_link`` among them (``{"url": ...,
    "text": ...}``) is offered on the job's page once it is done, so that the app that
    started the job can lead back to its own pages without this app knowing them."""
    job = Job(
        kind=kind,
        title=title,
        task_path=task.module_path,
        started_by=started_by,
        created_at=timezone.now(),
        parameters=parameters,
    )
    job.full_clean()
    job.save()
    _enqueue_on_commit(job)
    return job


def _enqueue_on_commit(job: Job) -> None:
    task = import_string(job.task_path)
    if not isinstance(task, Task):
        raise TypeError(f"{job.task_path} is not a task")
    transaction.on_commit(lambda: task.enqueue(job.pk))


def requeue_stale_jobs(*, now: datetime.datetime | None = None) -> list[int]:
    """Put each running job whose heartbeat stopped back in the queue, or fail it once it
    has had JOBS_MAX_ATTEMPTS: its worker was killed or lost its machine, and the work
    is safe to do again (``jobs.runner``). Returns the ids requeued."""
    now = now or timezone.now()
    requeued = []
    stale = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - stale_after())
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id, status=Status.RUNNING).first()
            if job is None or job.heartbeat_at >= now - stale_after():
                continue
            if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
                job.status = Status.FAILED
                job.finished_at = now
                job.error = (
                    f"The job stopped {job.attempts} times before it finished. "
                    "Start it again; if it stops again, tell your administrator."
                )
                job.save(update_fields=["status", "finished_at", "error"])
                logger.warning("Job %s failed after %s attempts", job.pk, job.attempts)
                continue
            job.status = Status.QUEUED
            job.save(update_fields=["status"])
            _enqueue_on_commit(job)
            requeued.append(job.pk)
            logger.info("Job %s requeued after attempt %s stopped", job.pk, job.attempts)
    return requeued

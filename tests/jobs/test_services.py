"""jobs.services: starting a job, and putting back those whose worker died."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from jobs.models import Job
from jobs.services import requeue_stale_jobs, start_job
from tests.factories import JobFactory, UserFactory
from tests.jobs.tasks import count_to_three

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

Status = Job.Status


def counting(tmp_path, user) -> dict:
    (tmp_path / "gate").touch()
    return {
        "task": count_to_three,
        "kind": "count",
        "title": "Counting to three",
        "started_by": user,
        "parameters": {"gate": str(tmp_path / "gate"), "runs": str(tmp_path / "runs")},
    }


def test_start_job_queues_the_job_and_runs_it_once_committed(
    tmp_path, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(**counting(tmp_path, user))
        queued = Job.objects.get(pk=job.pk)

    job.refresh_from_db()
    assert (queued.status, queued.task_path, queued.started_by) == (
        Status.QUEUED, "tests.jobs.tasks.count_to_three", user,
    )  # fmt: skip
    assert (job.status, job.row_count) == (Status.DONE, 3)


def test_start_job_rolled_back_enqueues_nothing(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                start_job(**counting(tmp_path, UserFactory()))
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert (callbacks, Job.objects.count()) == ([], 0)
    assert not (tmp_path / "runs").exists()


def stale(minutes: int = 10) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def test_requeue_stale_jobs_runs_a_job_whose_heartbeat_stopped_again(
    tmp_path, django_capture_on_commit_callbacks
):
    parameters = counting(tmp_path, UserFactory())["parameters"]
    job = JobFactory(status=Status.RUNNING, attempts=1, heartbeat_at=stale(), parameters=parameters)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = requeue_stale_jobs()

    job.refresh_from_db()
    assert requeued == [job.pk]
    assert (job.status, job.attempts, job.row_count) == (Status.DONE, 2, 3)


def test_requeue_stale_jobs_leaves_jobs_with_a_recent_heartbeat(
    django_capture_on_commit_callbacks,
):
    running = JobFactory(status=Status.RUNNING, attempts=1, heartbeat_at=stale(minutes=1))
    done = JobFactory(status=Status.DONE, attempts=1, heartbeat_at=stale())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        requeued = requeue_stale_jobs()

    assert (requeued, callbacks) == ([], [])
    assert [Job.objects.get(pk=j.pk).status for j in (running, done)] == [
        Status.RUNNING, Status.DONE,
    ]  # fmt: skip


def test_requeue_stale_jobs_fails_a_job_after_its_last_attempt(
    settings, django_capture_on_commit_callbacks
):
    settings.JOBS_MAX_ATTEMPTS = 3
    job = JobFactory(status=Status.RUNNING, attempts=3, heartbeat_at=stale())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        requeued = requeue_stale_jobs()

    job.refresh_from_db()
    assert (requeued, callbacks, job.status) == ([], [], Status.FAILED)
    assert job.error == (
        "The job stopped 3 times before it finished. "
        "Start it again; if it stops again, tell your administrator."
    )

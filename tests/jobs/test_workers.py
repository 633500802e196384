"""Jobs run by real workers of both backends (tests/jobs/conftest.py): progress while a
job runs, a retry after its worker was killed, and one result however often it runs."""

import csv
import datetime
import io
import os

from django.utils import timezone

from jobs.models import Job
from jobs.services import requeue_stale_jobs, start_job
from milestones.tasks import export_milestones
from participants.models import AccessLogEntry
from tests.factories import ParticipantMilestoneFactory, UserFactory
from tests.jobs.tasks import count_to_three
from tests.workers import wait_for

Status = Job.Status


def start_counting(tmp_path, *, gate_open: bool) -> Job:
    gate = tmp_path / "gate"
    if gate_open:
        gate.touch()
    return start_job(
        task=count_to_three,
        kind="count",
        title="Counting to three",
        started_by=UserFactory(),
        parameters={"gate": str(gate), "runs": str(tmp_path / "runs")},
    )


def result_files(media_root, job: Job) -> list[str]:
    folder = media_root / "private" / "jobs" / str(job.pk)
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_a_worker_runs_the_job_and_its_progress_shows_while_it_runs(workers, tmp_path, media_root):
    job = start_counting(tmp_path, gate_open=False)
    workers.start()

    running = wait_for(job, lambda j: j.status == Status.RUNNING and j.progress_done == 1)
    progress = (running.progress_done, running.progress_total, running.attempts)
    (tmp_path / "gate").touch()
    done = wait_for(job, lambda j: j.status == Status.DONE)

    assert progress == (1, 3, 1)
    assert (done.row_count, done.progress_done, done.attempts, done.error) == (3, 3, 1, "")
    assert done.result.read().decode() == "1\n2\n3\n"
    assert done.started_at <= done.heartbeat_at <= done.finished_at


def test_a_job_whose_worker_was_killed_is_run_again_and_finishes_once(
    workers, tmp_path, media_root
):
    job = start_counting(tmp_path, gate_open=False)
    worker = workers.start()
    # Progress 1 is reported after the attempt is counted in ``runs``: killing the worker
    # once the job is merely claimed could stop it before its body ran at all.
    wait_for(job, lambda j: j.status == Status.RUNNING and j.progress_done == 1)
    workers.kill(worker)
    # Minutes pass without a heartbeat.
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    requeued = requeue_stale_jobs()
    (tmp_path / "gate").touch()
    workers.run_until_empty()

    job.refresh_from_db()
    assert requeued == [job.pk]
    assert (job.status, job.attempts, job.row_count) == (Status.DONE, 2, 3)
    assert (tmp_path / "runs").read_text() == "1\n2\n"
    assert result_files(media_root, job) == ["count.txt"]
    assert job.result.read().decode() == "1\n2\n3\n"


def test_a_job_delivered_twice_runs_once(workers, tmp_path, media_root):
    job = start_counting(tmp_path, gate_open=True)
    count_to_three.enqueue(job.pk)

    workers.run_until_empty()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.row_count) == (Status.DONE, 1, 3)
    assert (tmp_path / "runs").read_text() == "1\n"
    assert result_files(media_root, job) == ["count.txt"]


def test_a_finished_job_enqueued_again_is_left_as_it_was(workers, tmp_path, media_root):
    job = start_counting(tmp_path, gate_open=True)
    workers.run_until_empty()
    done = Job.objects.get(pk=job.pk)

    count_to_three.enqueue(job.pk)
    workers.run_until_empty()

    again = Job.objects.get(pk=job.pk)
    assert (again.status, again.attempts, again.finished_at) == (
        Status.DONE, 1, done.finished_at,
    )  # fmt: skip
    assert (tmp_path / "runs").read_text() == "1\n"


def test_the_milestones_export_runs_on_a_worker(workers, media_root):
    supervisor = UserFactory(role="Supervisor")
    ParticipantMilestoneFactory(participant__reference="RS000042", name="Job outcome")
    job = start_job(
        task=export_milestones,
        kind="milestones_export",
        title="Milestones CSV export",
        started_by=supervisor,
        parameters={"filters": {"when": "any"}, "path": "/milestones/export/"},
    )

    workers.run_until_empty()

    job.refresh_from_db()
    _header, *rows = csv.reader(io.StringIO(job.result.read().decode().removeprefix("\ufeff")))
    assert (job.status, job.row_count) == (Status.DONE, 1)
    assert [(row[0], row[4]) for row in rows] == [("RS000042", "Job outcome")]
    assert AccessLogEntry.objects.filter(user=supervisor, kind="exported").count() == 1

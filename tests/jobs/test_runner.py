"""jobs.runner: claiming a job, throttled progress, the result file, failures."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from jobs.models import Job
from jobs.runner import FAILED_MESSAGE, JobError, Superseded, run_job
from participants.models import Team
from tests.factories import JobFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

Status = Job.Status


def write_rows(count: int):
    def body(run):
        out = run.result_file("rows.csv")
        for number in range(count):
            out.write(f"{number}\n")
            run.progress(number + 1, count)
        run.row_count = count

    return body


def test_run_job_writes_the_result_and_marks_it_done():
    job = JobFactory()

    run_job(job.pk, write_rows(3))

    job.refresh_from_db()
    assert (job.status, job.attempts, job.row_count, job.progress_done) == (Status.DONE, 1, 3, 3)
    assert job.result.name == f"private/jobs/{job.pk}/rows.csv"
    assert job.result.read().decode() == "0\n1\n2\n"
    assert job.started_at <= job.finished_at


@pytest.mark.parametrize("status", [Status.DONE, Status.FAILED, Status.RUNNING])
def test_run_job_of_a_job_not_queued_does_nothing(status):
    job = JobFactory(status=status, attempts=1)
    ran = []

    run_job(job.pk, ran.append)

    job.refresh_from_db()
    assert (ran, job.status, job.attempts) == ([], status, 1)


def test_progress_is_written_at_most_once_a_second(django_assert_num_queries):
    job = JobFactory()
    seen = []

    def body(run):
        with django_assert_num_queries(1):
            for done in range(1, 1001):
                run.progress(done, 1000)
        seen.append(Job.objects.values_list("progress_done", "progress_total").get(pk=job.pk))

    run_job(job.pk, body)

    assert seen == [(1, 1000)]


def test_progress_forced_is_written_every_time(django_assert_num_queries):
    job = JobFactory()

    def body(run):
        with django_assert_num_queries(3):
            for done in (1, 2, 3):
                run.progress(done, 3, force=True)

    run_job(job.pk, body)


def test_an_attempt_taken_over_stops_and_leaves_no_file():
    job = JobFactory()

    def body(run):
        out = run.result_file("rows.csv")
        out.write("half")
        # Given up for dead and queued again; another worker claimed it.
        Job.objects.filter(pk=job.pk).update(attempts=run.attempt + 1)
        run.progress(1, force=True)

    run_job(job.pk, body)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result.name) == (Status.RUNNING, 2, "")
    assert not default_storage.exists(f"private/jobs/{job.pk}/rows.csv")


def test_an_attempt_taken_over_as_it_finishes_deletes_its_file():
    job = JobFactory()

    def body(run):
        run.result_file("rows.csv").write("whole")
        Job.objects.filter(pk=job.pk).update(attempts=run.attempt + 1)

    run_job(job.pk, body)

    job.refresh_from_db()
    assert (job.status, job.result.name) == (Status.RUNNING, "")
    assert not default_storage.exists(f"private/jobs/{job.pk}/rows.csv")


def test_a_rerun_writes_its_file_from_scratch_over_what_an_earlier_attempt_left():
    job = JobFactory(attempts=1)
    default_storage.save(f"private/jobs/{job.pk}/rows.csv", ContentFile(b"0\n1\nhalf a li"))

    run_job(job.pk, write_rows(3))

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)
    assert job.result.name == f"private/jobs/{job.pk}/rows.csv"
    assert job.result.read().decode() == "0\n1\n2\n"


def test_the_result_is_not_visible_until_the_job_is_done():
    job = JobFactory()
    seen = []

    def body(run):
        run.result_file("rows.csv").write("0\n")
        seen.append((default_storage.listdir("")[1], Job.objects.get(pk=job.pk).result.name))

    run_job(job.pk, body)

    assert seen == [([], "")]


def test_a_job_error_fails_the_job_with_its_message():
    job = JobFactory()

    def body(run):
        raise JobError("The file has no rows.")

    run_job(job.pk, body)

    job.refresh_from_db()
    assert (job.status, job.error) == (Status.FAILED, "The file has no rows.")
    assert job.finished_at is not None


def test_an_unexpected_error_fails_the_job_with_a_plain_message_and_logs_it(caplog):
    job = JobFactory()

    def body(run):
        run.result_file("rows.csv").write("0\n")
        raise ZeroDivisionError("division by zero")

    run_job(job.pk, body)

    job.refresh_from_db()
    assert (job.status, job.error, job.result.name) == (Status.FAILED, FAILED_MESSAGE, "")
    assert "ZeroDivisionError" in caplog.text


def test_superseded_is_raised_to_the_body_by_progress():
    job = JobFactory()
    raised = []

    def body(run):
        Job.objects.filter(pk=job.pk).update(status=Status.QUEUED)
        try:
            run.progress(1, force=True)
        except Superseded:
            raised.append(True)
            raise

    run_job(job.pk, body)

    assert raised == [True]
    assert Job.objects.get(pk=job.pk).status == Status.QUEUED


def test_a_job_is_claimed_with_a_fresh_heartbeat():
    job = JobFactory(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    seen = []

    def body(run):
        seen.append(Job.objects.get(pk=job.pk).heartbeat_at)

    run_job(job.pk, body)

    assert timezone.now() - seen[0] < datetime.timedelta(seconds=5)


@pytest.mark.django_db(transaction=True)
def test_progress_while_the_body_reads_is_written_after_another_connection_commits():
    """An export reads its rows while staff save pages. On SQLite the connection reading
    cannot then write (its snapshot is older than their commit: "database is locked"
    however long it waits), so progress goes through a connection of the run's own."""
    TeamFactory.create_batch(3)
    job = JobFactory()

    def body(run):
        for number, _ in enumerate(Team.objects.order_by("pk").iterator(chunk_size=1), 1):
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            with other.cursor() as cursor:  # a request saving something meanwhile
                cursor.execute("UPDATE participants_team SET name = name")
            other.close()
            run.progress(number, 3, force=True)
        run.row_count = 3

    run_job(job.pk, body)

    job.refresh_from_db()
    assert (job.status, job.error, job.progress_done) == (Status.DONE, "", 3)

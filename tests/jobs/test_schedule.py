"""The schedule (django-crontask): which tasks ``manage.py crontask`` enqueues, and when;
each scheduled task does its work when a worker runs it."""

import datetime
import uuid

import pytest
from crontask import scheduler
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import jobs.tasks
import milestones.tasks
import reviews.tasks
import tracker_site.tasks
from jobs.models import Job
from tests.factories import (
    FinancialMilestoneFactory,
    JobFactory,
    ParticipantFactory,
    RestartProgrammeFactory,
    TrackerFactory,
    UserFactory,
)
from tests.milestones.helpers import job as tracker_job

pytestmark = pytest.mark.django_db


def schedule() -> dict[str, str]:
    return {entry.name: str(entry.trigger) for entry in scheduler.get_jobs()}


def test_the_schedule_holds_the_nightly_recalculation_the_digest_and_the_requeue():
    assert schedule() == {
        "nightly_recalculation": (
            "cron[month='*', day='*', day_of_week='*', hour='2', minute='30']"
        ),
        "overdue_digest": "cron[month='*', day='*', day_of_week='mon-fri', hour='7', minute='0']",
        "prune_task_results": "cron[month='*', day='*', day_of_week='*', hour='3', minute='15']",
        "refresh_planner_statistics": (
            "cron[month='*', day='*', day_of_week='*', hour='3', minute='45']"
        ),
        "requeue_stale": "cron[month='*', day='*', day_of_week='*', hour='*', minute='*/2']",
    }


def test_the_schedule_enqueues_the_tasks_themselves():
    enqueued = {entry.name: entry.func for entry in scheduler.get_jobs()}

    assert enqueued == {
        "nightly_recalculation": milestones.tasks.nightly_recalculation.enqueue,
        "overdue_digest": reviews.tasks.overdue_digest.enqueue,
        "prune_task_results": jobs.tasks.prune_task_results.enqueue,
        "refresh_planner_statistics": tracker_site.tasks.refresh_planner_statistics.enqueue,
        "requeue_stale": jobs.tasks.requeue_stale.enqueue,
    }


def test_nightly_recalculation_recalculates_every_participant():
    programme = RestartProgrammeFactory()
    FinancialMilestoneFactory(programme=programme, position=1, name="Job outcome", amount=1000)
    participants = ParticipantFactory.create_batch(
        2, programme=programme, programme_start_date=datetime.date(2025, 1, 6)
    )
    for participant in participants:
        tracker_job(participant, "2025-01-06")

    milestones.tasks.nightly_recalculation.enqueue()

    assert [p.milestones.get().name for p in participants] == ["Job outcome", "Job outcome"]


def test_requeue_stale_puts_back_a_job_whose_worker_died(media_root):
    job = JobFactory(
        status=Job.Status.RUNNING,
        attempts=9,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )

    jobs.tasks.requeue_stale.enqueue()

    job.refresh_from_db()
    assert (job.status, job.error[:27]) == (Job.Status.FAILED, "The job stopped 9 times bef")


def test_overdue_digest_emails_a_reviewer_once_however_often_it_runs(
    settings, north, django_capture_on_commit_callbacks
):
    settings.REVIEW_OVERDUE_DAYS = 10
    priya = UserFactory(email="priya@example.org", role="Compliance officer", teams=[north])
    TrackerFactory(
        participant=ParticipantFactory(team=north),
        status="in_review",
        assignee=priya,
        submitted_at=timezone.now() - datetime.timedelta(days=12),
    )

    with django_capture_on_commit_callbacks(execute=True):
        reviews.tasks.overdue_digest.enqueue()
        reviews.tasks.overdue_digest.enqueue()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["priya@example.org"], "1 overdue tracker to review")
    ]


def test_prune_task_results_deletes_the_database_backends_old_finished_results(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, recent, queued = (jobs.tasks.requeue_stale.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(pk__in=[old.id, recent.id]).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(pk=old.id).update(
        finished_at=timezone.now() - datetime.timedelta(days=15)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(finished_at=timezone.now())

    jobs.tasks.prune_task_results.call()

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        uuid.UUID(recent.id), uuid.UUID(queued.id),
    }  # fmt: skip


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's statistics (PostgreSQL's autovacuum)"
)
def test_refresh_planner_statistics_gives_sqlite_statistics_of_every_index():
    """Without them SQLite may choose an index that a migration added over a better one."""
    TrackerFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")

    tracker_site.tasks.refresh_planner_statistics.call()

    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'trackers_tracker'")
        analysed = {index for (index,) in cursor.fetchall()}
    assert {"tracker_assignee_status", "tracker_review_queue"} <= analysed

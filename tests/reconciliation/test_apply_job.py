"""A DWP file of more than DWP_BACKGROUND_ROWS rows is applied by a job
(reconciliation.tasks): its progress, one job however often it is confirmed, and a retry
that finds the file applied."""

import pytest
from django.db import connection
from django.urls import reverse

from jobs.models import Job
from jobs.runner import run_job
from reconciliation import services
from reconciliation.models import DwpNotification, NotificationImport
from reconciliation.services import preview_file
from reconciliation.tasks import apply_notification_import_job, start_applying
from tests.participants.test_import_job import progress_seen_elsewhere
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db

Status = Job.Status


@pytest.fixture
def world(db, settings):
    settings.DWP_BACKGROUND_ROWS = 2
    return build_world()


def previewed(world, user, rows: int = 3) -> NotificationImport:
    """A file of ``rows`` rows, the first of them a match (PO100)."""
    return preview_file(
        data=notification_csv(
            notification(po_number="PO100", remittance_ref="REM-1"),
            *(notification(po_number=f"PO{404 + n}") for n in range(rows - 1)),
        ),
        file_name="rte.csv",
        mapping=world.mapping,
        uploaded_by=user,
    )


def detail_url(notification_import) -> str:
    return reverse("reconciliation:import_detail", args=[notification_import.pk])


def test_confirming_a_large_file_applies_it_in_a_job_with_a_link_back(
    supervisor_client, supervisor, world, django_capture_on_commit_callbacks
):
    participant = participant_with_milestones(world, po_number="PO100")
    notification_import = previewed(world, supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(detail_url(notification_import))

    job = Job.objects.get(kind="dwp_import")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.status, job.row_count, job.progress_done, job.progress_total) == (
        Status.DONE, 3, 3, 3,
    )  # fmt: skip
    assert job.started_by == supervisor
    notification_import.refresh_from_db()
    assert notification_import.status == NotificationImport.Status.APPLIED
    assert notification_import.applied_by == supervisor
    assert participant.dwp_notifications.get().remittance_reference == "REM-1"
    page = supervisor_client.get(response["Location"]).content.decode()
    assert f'href="{detail_url(notification_import)}"' in page
    assert "See the file&#x27;s rows as applied" in page


def test_a_small_file_is_still_applied_in_the_request(supervisor_client, supervisor, world):
    participant_with_milestones(world, po_number="PO100")
    notification_import = previewed(world, supervisor, rows=2)

    response = supervisor_client.post(detail_url(notification_import), follow=True)

    assert "rte.csv applied: 1 notification recorded." in response.content.decode()
    assert not Job.objects.exists()


def test_while_the_job_waits_the_page_links_to_it_and_a_second_confirm_starts_none(
    supervisor_client, supervisor, world
):
    notification_import = previewed(world, supervisor)
    # Not committed in these tests, so the job stays queued.
    supervisor_client.post(detail_url(notification_import))
    job = Job.objects.get()

    page = supervisor_client.get(detail_url(notification_import)).content.decode()
    again = supervisor_client.post(detail_url(notification_import))

    assert "This file is being applied by a background job" in page
    assert f'href="{reverse("jobs:detail", args=[job.pk])}"' in page
    assert "Nothing has been recorded yet" not in page  # no Apply form
    assert "No row of this file changes" not in page
    assert again["Location"] == reverse("jobs:detail", args=[job.pk])
    assert Job.objects.count() == 1


def test_the_job_reports_progress_as_the_rows_are_stored(
    supervisor, world, monkeypatch, on_progress
):
    monkeypatch.setattr(services, "ROW_BATCH", 2)
    written = []
    on_progress(lambda run, done, total: written.append((done, total)))
    job = queued(previewed(world, supervisor, rows=5), supervisor)

    run_job(job.pk, apply_notification_import_job)

    assert written == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_the_job_run_again_is_done_with_the_same_count_and_applies_nothing_more(supervisor, world):
    participant_with_milestones(world, po_number="PO100")
    notification_import = previewed(world, supervisor)
    first, second = queued(notification_import, supervisor), queued(notification_import, supervisor)

    run_job(first.pk, apply_notification_import_job)
    run_job(second.pk, apply_notification_import_job)

    second.refresh_from_db()
    assert (second.status, second.row_count, second.error) == (Status.DONE, 3, "")
    assert DwpNotification.objects.count() == 1


def test_the_job_of_a_file_deleted_meanwhile_fails_saying_so(supervisor, world):
    notification_import = previewed(world, supervisor)
    job = queued(notification_import, supervisor)
    notification_import.delete()

    run_job(job.pk, apply_notification_import_job)

    job.refresh_from_db()
    assert (job.status, job.error) == (
        Status.FAILED,
        "The file was deleted before it was applied.",
    )


@pytest.mark.django_db(transaction=True)
def test_the_jobs_progress_is_seen_while_its_transaction_is_still_open(
    supervisor, world, monkeypatch, on_progress
):
    """All of the file or none, in one transaction; on PostgreSQL its progress is
    committed as it goes (SQLite: one writer at a time, so seen at the end)."""
    monkeypatch.setattr(services, "ROW_BATCH", 2)
    seen = []
    on_progress(lambda run, done, total: seen.extend(progress_seen_elsewhere(run)))

    # Committed, the job is enqueued, and the tests' task backend runs it there and then.
    job = queued(previewed(world, supervisor, rows=5), supervisor)

    job.refresh_from_db()
    assert job.status == Status.DONE
    if connection.vendor == "sqlite":
        assert seen == [(0, 5), (0, 5), (0, 5)]
    else:
        assert seen == [(2, 5), (4, 5), (5, 5)]


def queued(notification_import, user) -> Job:
    """The job as the confirm starts it (run on commit, which only the transactional test
    lets happen)."""
    return start_applying(notification_import, started_by=user)

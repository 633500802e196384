"""The referral import's job (participants.tasks): the rows, its progress, and running it
again — a retry after the import committed ends Done with the count already imported."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from jobs.models import Job
from jobs.runner import run_job
from jobs.services import start_job
from participants import imports
from participants.imports import import_participants, start_import
from participants.models import Participant
from participants.tasks import import_referrals, import_referrals_job
from tests.participants.test_imports import referral, referral_csv

pytestmark = pytest.mark.django_db

Status = Job.Status


def queued_job(participant_import, user) -> Job:
    """The job as the preview's confirm starts it, not yet run (the task is enqueued only
    when the transaction commits, which these tests do not let happen)."""
    return start_job(
        task=import_referrals,
        kind="participants_import",
        title="Import of referrals.csv",
        started_by=user,
        parameters={
            "import": participant_import.pk,
            "done_link": {"url": reverse("participants:list"), "text": "Go to participants"},
        },
    )


def progress_seen_elsewhere(run) -> list[tuple]:
    """The job's progress as another connection sees it, from inside a transaction."""
    if not connection.in_atomic_block:
        return []
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT progress_done, progress_total FROM jobs_job WHERE id = %s", [run.job.pk]
            )
            return [cursor.fetchone()]
    finally:
        other.close()


def uploaded(user, count: int = 2, **values):
    text = referral_csv(*(referral(reference=f"RS-{n}", nino="", **values) for n in range(count)))
    return start_import(file_name="referrals.csv", content=text, uploaded_by=user)


def test_import_job_imports_the_rows_reporting_progress(
    supervisor, north, programme, monkeypatch, on_progress
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    written = []
    on_progress(lambda run, done, total: written.append((done, total)))
    participant_import = uploaded(supervisor, count=5)
    job = queued_job(participant_import, supervisor)

    run_job(job.pk, import_referrals_job)

    job.refresh_from_db()
    participant_import.refresh_from_db()
    assert written == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert (job.status, job.row_count, job.progress_done, job.progress_total, job.error) == (
        Status.DONE,
        5,
        5,
        5,
        "",
    )
    assert participant_import.imported_count == 5
    assert sorted(Participant.history.values_list("reference", "history_user")) == [
        (f"RS-{n}", supervisor.pk) for n in range(5)
    ]


def test_import_job_run_again_is_a_no_op_done_with_the_count_imported(supervisor, north, programme):
    participant_import = uploaded(supervisor)
    first = queued_job(participant_import, supervisor)
    run_job(first.pk, import_referrals_job)
    second = queued_job(participant_import, supervisor)  # the confirm pressed twice

    run_job(second.pk, import_referrals_job)
    run_job(first.pk, import_referrals_job)  # delivered twice: left alone

    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.row_count, second.error) == (Status.DONE, 2, "")
    assert (first.status, first.attempts, first.row_count) == (Status.DONE, 1, 2)
    assert Participant.objects.count() == 2
    assert Participant.history.count() == 2


def test_import_job_retried_after_its_import_committed_ends_done(supervisor, north, programme):
    """The worker imported the file, then was lost before marking the job Done: the job
    is requeued (jobs.services.requeue_stale_jobs) and its next attempt finds the import."""
    participant_import = uploaded(supervisor, count=3)
    job = queued_job(participant_import, supervisor)
    import_participants(participant_import=participant_import, imported_by=supervisor)
    Job.objects.filter(pk=job.pk).update(attempts=1)  # the lost attempt

    run_job(job.pk, import_referrals_job)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.row_count, job.progress_done) == (Status.DONE, 2, 3, 3)
    assert Participant.objects.count() == 3


def test_import_job_of_a_file_with_errors_fails_with_the_refusal_and_writes_nothing(
    supervisor, north, programme
):
    text = referral_csv(
        referral(reference="RS-1"), referral(reference="RS-2", nino="", postcode="nowhere")
    )
    participant_import = start_import(file_name="a.csv", content=text, uploaded_by=supervisor)
    job = queued_job(participant_import, supervisor)

    run_job(job.pk, import_referrals_job)

    job.refresh_from_db()
    participant_import.refresh_from_db()
    assert (job.status, job.row_count) == (Status.FAILED, None)
    assert job.error == (
        "1 row has errors, so nothing was imported. Correct the file and upload it again."
    )
    assert participant_import.imported_at is None
    assert Participant.objects.count() == 0
    assert Participant.history.count() == 0


def test_import_job_of_a_file_no_longer_valid_fails_and_can_succeed_once_fixed(
    supervisor, north, programme
):
    """Checked again at confirm time: a team renamed since the preview refuses the file."""
    participant_import = uploaded(supervisor)
    job = queued_job(participant_import, supervisor)
    north.name, old_name = "North East", north.name
    north.save()

    run_job(job.pk, import_referrals_job)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error.startswith("2 rows have errors, so nothing was imported.")
    assert Participant.objects.count() == 0
    north.name = old_name
    north.save()
    again = queued_job(participant_import, supervisor)
    run_job(again.pk, import_referrals_job)
    again.refresh_from_db()
    assert (again.status, again.row_count) == (Status.DONE, 2)


def test_import_job_of_a_deleted_file_fails_saying_so(supervisor, north, programme):
    participant_import = uploaded(supervisor)
    job = queued_job(participant_import, supervisor)
    participant_import.delete()

    run_job(job.pk, import_referrals_job)

    job.refresh_from_db()
    assert (job.status, job.error) == (
        Status.FAILED,
        "The uploaded file was deleted before it was imported.",
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_import_job_query_count_does_not_depend_on_rows(
    supervisor, north, programme, rows, django_assert_num_queries
):
    job = queued_job(uploaded(supervisor, count=rows), supervisor)

    # claim, job, import, progress, user; the import's transaction: savepoint, lock,
    # references, permissions (2), lookups (3 + 3), each batch's two inserts, mark the
    # import, release; then Done
    with django_assert_num_queries(21):
        run_job(job.pk, import_referrals_job)

    assert Job.objects.get(pk=job.pk).row_count == rows


@pytest.mark.django_db(transaction=True)
def test_import_job_progress_is_seen_while_its_transaction_is_still_open(
    supervisor, north, programme, monkeypatch, on_progress
):
    """The import is all or nothing, in one transaction; its progress is committed as it
    goes, where the engine has more than one writer (PostgreSQL), so that the job's page
    sees it move. SQLite writes one transaction at a time: there it is seen at the end."""
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    seen = []
    on_progress(lambda run, done, total: seen.extend(progress_seen_elsewhere(run)))

    # Committed, the job is enqueued, and the tests' task backend runs it there and then.
    job = queued_job(uploaded(supervisor, count=5), supervisor)

    job.refresh_from_db()
    assert (job.status, job.progress_done, Participant.objects.count()) == (Status.DONE, 5, 5)
    if connection.vendor == "sqlite":
        assert seen == [(0, 5), (0, 5), (0, 5)]
    else:
        assert seen == [(2, 5), (4, 5), (5, 5)]

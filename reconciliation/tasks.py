"""The reconciliation app's background tasks (django.tasks); each runs a ``jobs.Job``."""

from django.contrib.auth.models import AbstractBaseUser
from django.tasks import task
from django.urls import reverse

from jobs.models import Job
from jobs.runner import JobError, JobRun, run_job
from jobs.services import start_job
from reconciliation.models import NotificationImport
from reconciliation.services import ImportRefused, apply_import

APPLY_JOB = "dwp_import"


@task
def apply_notification_import(job_id: int) -> None:
    run_job(job_id, apply_notification_import_job)


def apply_notification_import_job(run: JobRun) -> None:
    """Apply the job's previewed DWP file as the user who confirmed it: all of it in one
    transaction, its progress shown as the rows are stored (``JobRun`` writes it through
    a connection of its own on PostgreSQL).

    Its row count is the file's rows. Safe to run again: a retry that finds the file
    applied (a worker lost after the transaction committed, or a confirm pressed twice)
    ends Done with the same count."""
    notification_import = (
        NotificationImport.objects.defer("content").filter(pk=run.parameters["import"]).first()
    )
    if notification_import is None:
        raise JobError("The file was deleted before it was applied.")
    if notification_import.status != NotificationImport.Status.APPLIED:
        run.progress(0, notification_import.row_count, force=True)
        try:
            apply_import(notification_import, applied_by=run.job.started_by, progress=run.progress)
        except ImportRefused as refusal:
            notification_import.refresh_from_db(fields=["status"])
            if notification_import.status != NotificationImport.Status.APPLIED:
                raise JobError(str(refusal)) from refusal
    run.row_count = notification_import.row_count


def start_applying(notification_import: NotificationImport, *, started_by: AbstractBaseUser) -> Job:
    """A job that applies the previewed file (more rows than a request should take), its
    page linking back to the file's rows once done."""
    return start_job(
        task=apply_notification_import,
        kind=APPLY_JOB,
        title=f"Applying {notification_import.file_name}"[:200],
        started_by=started_by,
        parameters={
            "import": notification_import.pk,
            "done_link": {
                "url": reverse("reconciliation:import_detail", args=[notification_import.pk]),
                "text": "See the file's rows as applied",
            },
        },
    )

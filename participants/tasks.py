"""The participants app's background tasks (django.tasks); each runs a ``jobs.Job``."""

from django.tasks import task

from jobs.runner import JobError, JobRun, run_job
from participants.imports import ImportRefused, import_participants, read_csv
from participants.models import ParticipantImport


@task
def import_referrals(job_id: int) -> None:
    run_job(job_id, import_referrals_job)


def import_referrals_job(run: JobRun) -> None:
    """Import the job's uploaded file as the user who started the job.

    Safe to run again: ``import_participants`` imports all of the file or none of it, in
    one transaction, and refuses a file already imported. So a retry (a worker lost after
    the import committed, or a confirm pressed twice) finds the file imported and ends Done
    with the count that import recorded, instead of failing over work that succeeded.
    """
    participant_import = ParticipantImport.objects.filter(pk=run.parameters["import"]).first()
    if participant_import is None:
        raise JobError("The uploaded file was deleted before it was imported.")
    if participant_import.imported_at is None:
        try:
            # The size of the work, before the import's transaction checks the rows again.
            run.progress(0, len(read_csv(participant_import.content)), force=True)
            import_participants(
                participant_import=participant_import,
                imported_by=run.job.started_by,
                progress=run.progress,
            )
        except ImportRefused as refusal:
            participant_import.refresh_from_db(fields=["imported_at", "imported_count"])
            if participant_import.imported_at is None:
                raise JobError(str(refusal)) from refusal
            # Another attempt imported it meanwhile: that import is this job's result.
    run.row_count = participant_import.imported_count

"""The milestones app's background tasks (django.tasks); each runs a ``jobs.Job``."""

import logging

from crontask import cron
from django.tasks import task

from jobs.runner import JobError, JobRun, run_job
from milestones import forecast_days
from milestones.exports import write_milestones_csv
from milestones.recalculation import recalculate_in_batches
from participants.models import Participant
from programmes.models import Programme

logger = logging.getLogger(__name__)


@task
def export_milestones(job_id: int) -> None:
    run_job(job_id, write_milestones_csv)


@task
def recalculate_programme(job_id: int) -> None:
    run_job(job_id, recalculate_programme_job)


def recalculate_programme_job(run: JobRun) -> None:
    """Every participant on the job's programme, in the recalculation's batches (each
    committed as it goes: running it again recalculates from the stored trackers, so a
    retry after a lost worker writes only what is still to change)."""
    programme = Programme.objects.filter(pk=run.parameters["programme"]).first()
    if programme is None:
        raise JobError("The programme was deleted before its participants were recalculated.")
    participants = Participant.objects.filter(programme=programme)
    run.progress(0, participants.count(), force=True)
    tally = recalculate_in_batches(participants, on_progress=run.progress)
    run.row_count = tally.participants


# Nightly: statuses move on as days pass (Projected becomes Achieved) with no save.
@cron("30 2 * * *")
@task
def nightly_recalculation() -> None:
    """Every participant (``manage.py recalculate_milestones`` does the same by hand);
    a second run, or a retry, writes only what is still to change. Then the forecast is
    counted again from the milestones, which puts right any write made past the services
    (Django admin)."""
    tally = recalculate_in_batches(Participant.objects.all())
    counted = forecast_days.rebuild()
    logger.info(
        "Nightly recalculation: %s milestones added, %s changed, %s removed; the forecast "
        "counted again (%s days of programmes and teams)",
        tally.created, tally.updated, tally.deleted, counted,
    )  # fmt: skip

"""The Milestones CSV export, written by a background job (``milestones.tasks``).

Rows are read as tuples (``values_list`` + ``iterator``), never as model objects, and
choices are mapped by a dict, not ``get_*_display`` per row: at a prime provider's
200,000 rows the objects were most of the time, and a request could not finish at all.
"""

import csv

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from common.spreadsheets import safe_cell
from jobs.runner import JobRun
from milestones.forms import MilestoneFilterForm
from milestones.models import ParticipantMilestone
from participants.access import of_participants_for, teams_for
from participants.access_log import export_recorded_by

CSV_COLUMNS = [
    "Participant reference", "Participant", "Programme", "Team", "Milestone", "Amount (£)",
    "Earned so far (£)", "Projected date", "Weeks left", "Status", "Claim status",
    "Paid date", "Payment reference",
]  # fmt: skip

# The order of CSV_COLUMNS, with the participant's names apart.
FIELDS = (
    "participant__reference", "participant__first_name", "participant__last_name",
    "participant__programme__name", "participant__team__name", "name", "amount",
    "earned_to_date", "projected_date", "weeks_left", "status", "claim_status", "paid_date",
    "payment_reference",
)  # fmt: skip

STATUS = dict(ParticipantMilestone.Status.choices)
CLAIM_STATUS = dict(ParticipantMilestone.ClaimStatus.choices)

CHUNK = 5000


def visible_milestones(user: AbstractBaseUser) -> QuerySet[ParticipantMilestone]:
    """The milestones of the participants the user sees (a check per row: SQLite would
    otherwise read every milestone of the teams' participants and sort them, where the
    date index gives the page in order)."""
    return ParticipantMilestone.objects.filter(of_participants_for(user))


def filter_parameters(data) -> dict:
    """The filters of a request worth keeping with the job: the form's own fields."""
    return {name: data[name] for name in MilestoneFilterForm.base_fields if data.get(name)}


def export_file_name(job) -> str:
    return f"milestones-{timezone.localdate(job.created_at):%Y-%m-%d}.csv"


def write_milestones_csv(run: JobRun) -> None:
    """The Milestones page's rows for the job's user and filters as CSV: UTF-8 with a BOM
    so that Excel reads it, every cell a spreadsheet would run as a formula neutralised;
    every participant in it is logged as exported by the user."""
    job = run.job
    user = job.started_by
    form = MilestoneFilterForm(job.parameters["filters"], teams=teams_for(user))
    milestones = form.filter(
        visible_milestones(user).by_due_date(), today=timezone.localdate(job.created_at)
    )
    total = milestones.count()
    run.progress(0, total, force=True)
    out = run.result_file(export_file_name(job))
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    with export_recorded_by(
        user,
        milestones.values_list("participant_id"),
        url_name="milestones:export",
        path=job.parameters["path"],
    ):
        run.row_count = _write_rows(run, writer, milestones)


def _write_rows(run: JobRun, writer, milestones: QuerySet[ParticipantMilestone]) -> int:
    """Write the milestones' rows, reporting progress; returns how many."""
    count = 0
    for row in milestones.values_list(*FIELDS).iterator(chunk_size=CHUNK):
        (reference, first, last, programme, team, name, amount, earned, projected,
         weeks, status, claim, paid, payment) = row  # fmt: skip
        # Dates and whole numbers never start like a formula; the csv module writes
        # None as an empty cell and a date as YYYY-MM-DD.
        line = (
            safe_cell(reference), safe_cell(f"{first} {last}"), safe_cell(programme),
            safe_cell(team), safe_cell(name), safe_cell(amount), safe_cell(earned),
            projected, weeks, STATUS[status], CLAIM_STATUS[claim], paid, safe_cell(payment),
        )  # fmt: skip
        writer.writerow(line)
        count += 1
        if not count % CHUNK:
            run.progress(count)
    return count

"""What the benchmark requests, in one place, so that a change of URL scheme (keyset
cursors for the Milestones list, the export job) is a change here only.
"""

import math
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.utils import timezone

from common.pagination import encode_cursor
from jobs.models import Job
from milestones.exports import visible_milestones
from milestones.forms import MilestoneFilterForm
from milestones.tasks import export_milestones
from participants.access import teams_for

MILESTONES_URL = "/milestones/"
EXPORT_URL = "/milestones/export/"
EXPORT_FILTERS = {"when": "any"}


def milestones_page_url(client: Client, number: int) -> str:
    """The URL of page ``number`` of the Milestones list (every date, earliest first), as
    its "Next" link gives it: a cursor holding the key of the last row of the page before.

    That row is found here once, before the measurement, with an OFFSET over the rows the
    client's user sees in the list's order (what walking ``number - 1`` Next links would
    reach, without the thousands of requests). A page past the end of the list is its
    last page."""
    user = get_user_model().objects.get(pk=client.session[SESSION_KEY])
    form = MilestoneFilterForm({"when": "any"}, teams=teams_for(user))
    rows = form.filter(visible_milestones(user), today=timezone.localdate())
    number = min(number, math.ceil(rows.count() / settings.PAGE_SIZE))
    if number <= 1:
        return f"{MILESTONES_URL}?when=any"
    last = rows.values_list(*form.keyset.fields)[(number - 1) * settings.PAGE_SIZE - 1]
    return f"{MILESTONES_URL}?when=any&after={encode_cursor(number, list(last))}"


def run_export(client: Client) -> int:
    """Export every milestone the user may see as the Export button does (a POST that
    starts a job), run the job here as a worker would, and return the rows of the file
    it stored, checked against the row count the job recorded."""
    response = client.post(EXPORT_URL, EXPORT_FILTERS)
    if response.status_code != 302:
        raise RuntimeError(f"The export answered HTTP {response.status_code}")
    job = Job.objects.latest("pk")
    export_milestones.call(job.pk)
    return exported_rows(job)


def exported_rows(job: Job) -> int:
    """The data rows of a finished export job's file (an error if it did not finish or
    its file disagrees with its recorded row count)."""
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        raise RuntimeError(f"The export job ended {job.status}: {job.error}")
    with job.result.open("rb") as file:
        rows = sum(1 for _line in file) - 1
    if rows != job.row_count:
        raise RuntimeError(f"The export file has {rows:,} rows; its job says {job.row_count:,}")
    return rows


def tracker_form(organisation_pk: int) -> dict:
    """What the Create Tracker form posts for a new job, with a fresh submission token."""
    return {
        "type": "job",
        "status": "new",
        "assignee": "",
        "description": "Warehouse operative",
        "organisation": organisation_pk,
        "start_date": "2026-06-01",
        "end_date": "",
        "weekly_hours": "30",
        "hourly_rate": "13.50",
        "document_kind": "contract",
        "submission_token": str(uuid.uuid4()),
    }

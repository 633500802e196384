"""What the benchmark requests, in one place, so that a change of URL scheme (keyset
cursors for the Milestones list, an export that becomes a job) is a change here only.
"""

import math
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.utils import timezone

from common.pagination import encode_cursor
from milestones.exports import visible_milestones
from milestones.forms import MilestoneFilterForm
from participants.access import teams_for

MILESTONES_URL = "/milestones/"
EXPORT_URL = "/milestones/export.csv?when=any"


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
    """Export every milestone the user may see, as the export works on this branch (a
    streaming CSV response, read to its end), and return the number of data rows.

    When the export becomes a background job, start the job here, run it to the end and
    count the rows of the file it stored."""
    response = client.get(EXPORT_URL)
    if response.status_code != 200:
        raise RuntimeError(f"The export answered HTTP {response.status_code}")
    content = b"".join(response.streaming_content)
    return content.count(b"\n") - 1


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

"""What the benchmark requests, in one place, so that a change of URL scheme (keyset
cursors for the Milestones list, an export that becomes a job) is a change here only.
"""

import re
import uuid

from django.test import Client

MILESTONES_URL = "/milestones/"
EXPORT_URL = "/milestones/export.csv?when=any"
NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')


def milestones_page_url(client: Client, number: int) -> str:
    """The URL of page ``number`` of the Milestones list (every date, earliest first).

    Today the list takes page numbers. When it takes keyset cursors instead, return
    ``follow_next(client, MILESTONES_URL + "?when=any", number - 1)``: that walks the
    "Next" links once, before the measurement, and the page's own URL is then measured.
    """
    return f"{MILESTONES_URL}?when=any&page={number}"


def follow_next(client: Client, url: str, steps: int) -> str:
    """The URL reached from ``url`` by following its "Next" link ``steps`` times (or as
    far as the list goes)."""
    base = url.split("?")[0]
    for _ in range(steps):
        found = NEXT_LINK.search(client.get(url).content.decode())
        if not found:
            break
        href = found.group(1).replace("&amp;", "&")
        url = href if href.startswith("/") else base + href
    return url


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

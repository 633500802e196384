"""The read-access log (UK GDPR accountability): who read which participant's record.

Every view that shows one participant's record, or sends one of their files, calls
``record_access`` once it has fetched the participant through ``participants.access``;
``tests/tracker_site/test_access_logged.py`` fails for a participant URL that does not.
A row names the page (its URL's name and path, ids only), never what it showed.

htmx refreshes a page's fragments after each change, and a dialog may be opened and
closed many times, so the same user reading the same URL of the same participant again
within DEDUPLICATE_WITHIN adds no row. Fragments are logged like pages (the HX-Request
header is the browser's to send, so it cannot turn the log off).
"""

import datetime
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from participants.access import sees_every_team
from participants.models import AccessLogEntry, Participant

DEDUPLICATE_WITHIN = datetime.timedelta(minutes=1)

Kind = AccessLogEntry.Kind


def record_access(request: HttpRequest, participant: Participant, kind: Kind = Kind.VIEWED) -> None:
    """Log that the request's user read the participant's record through this URL."""
    now = timezone.now()
    entry = {
        "participant": participant,
        "user": request.user,
        "kind": kind,
        "path": request.path[: AccessLogEntry._meta.get_field("path").max_length],
    }
    if AccessLogEntry.objects.filter(at__gte=now - DEDUPLICATE_WITHIN, **entry).exists():
        return
    AccessLogEntry.objects.create(at=now, url_name=request.resolver_match.view_name, **entry)


def record_export(request: HttpRequest, participant_ids: set[int]) -> None:
    """Log a file that holds several participants' records (a CSV export), one row each."""
    now = timezone.now()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            participant_id=participant_id,
            user=request.user,
            at=now,
            kind=Kind.EXPORTED,
            url_name=request.resolver_match.view_name,
            path=request.path,
        )
        for participant_id in sorted(participant_ids)
    )


def record_export_by(
    user: AbstractBaseUser, participant_ids: QuerySet, *, url_name: str, path: str
) -> int:
    """``record_export`` for an export that a background job writes after the request
    that asked for it (the URL is the one that asked): ``participant_ids`` is a query of
    one column, the ids. One ``INSERT … SELECT``, since an export at a prime provider's
    size holds 100,000 participants and a row object each took most of its time.
    Returns how many were logged."""
    meta = AccessLogEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("participant", "user", "at", "kind", "url_name", "path")
    )
    select, params = participant_ids.order_by().distinct().query.sql_with_params()
    values = [
        user.pk,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        Kind.EXPORTED.value,
        url_name,
        path[: meta.get_field("path").max_length],
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names from _meta)
            f"SELECT ids.*, %s, %s, %s, %s, %s FROM ({select}) ids",
            [*values, *params],
        )
        return cursor.rowcount


@contextmanager
def export_recorded_by(
    user: AbstractBaseUser, participant_ids: QuerySet, *, url_name: str, path: str
) -> Iterator[None]:
    """``record_export_by``, made while the body writes the export's file.

    On PostgreSQL, outside a transaction, the log is written by a second thread on a
    connection of its own, committed by itself: the database inserts the 100,000 log
    rows of a prime provider's export while this process writes the file, which took
    40 % more time one after the other. It is then kept even if writing the file fails
    (the rows were read for it). Inside a transaction (whose rows another connection
    cannot see), or on SQLite (one writer at a time), it is written after the body, in
    the body's transaction."""
    arguments = {"url_name": url_name, "path": path}
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        record_export_by(user, participant_ids, **arguments)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="access-log") as pool:
        logged = pool.submit(_record_on_own_connection, user, participant_ids, arguments)
        try:
            yield
        finally:
            logged.result()


def _record_on_own_connection(user, participant_ids: QuerySet, arguments: dict) -> int:
    try:
        return record_export_by(user, participant_ids, **arguments)
    finally:
        connections.close_all()  # this thread's own


def access_log_for(user: AbstractBaseUser) -> QuerySet[AccessLogEntry]:
    """The log of the participants the user may see, newest first."""
    entries = AccessLogEntry.objects.select_related("participant", "user")
    if sees_every_team(user):
        return entries
    return entries.filter(participant__team_id__in=list(user.teams.values_list("pk", flat=True)))

"""The overdue digest: each reviewer emailed the overdue trackers assigned to them, once a
day (``manage.py send_overdue_digest``, and the schedule in ``reviews.tasks``).

Safe to run more than once a day: a reviewer already sent today's digest is skipped
(``DigestSent``), so a second run, or a retried task, sends nothing twice.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import DigestSent
from reviews.notifications import send_digest
from reviews.queue import overdue, reviewers, with_waiting_since
from trackers.models import Tracker


def send_overdue_digests() -> int:
    """Send today's digests not sent yet; returns how many were sent."""
    now = timezone.now()
    today = timezone.localdate()
    sent = 0
    for reviewer in reviewers():
        trackers = list(
            with_waiting_since(Tracker.objects.filter(assignee=reviewer))
            .filter(overdue(now))
            .select_related("participant")
            .order_by("waiting_since", "pk")
        )
        if trackers and _send(reviewer, trackers, today):
            sent += 1
    return sent


def _send(reviewer, trackers: list[Tracker], today) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(reviewer=reviewer, sent_on=today, items=len(trackers))
            send_digest(reviewer=reviewer, trackers=trackers)
    except IntegrityError:
        return False  # already sent today
    return True

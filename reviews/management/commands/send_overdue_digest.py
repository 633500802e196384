"""Email each reviewer the overdue trackers assigned to them, once a day.

Safe to schedule more than once a day: a reviewer already sent today's digest is
skipped (``DigestSent``), so a second run sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import DigestSent
from reviews.notifications import send_digest
from reviews.queue import overdue, reviewers, with_waiting_since
from trackers.models import Tracker


class Command(BaseCommand):
    help = "Email each reviewer their overdue trackers (at most once a day)."

    def handle(self, *args, **options) -> None:
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
            if trackers and self._send(reviewer, trackers, today):
                sent += 1
        self.stdout.write(f"Overdue digests sent: {sent}.")

    def _send(self, reviewer, trackers: list[Tracker], today) -> bool:
        try:
            with transaction.atomic():
                DigestSent.objects.create(reviewer=reviewer, sent_on=today, items=len(trackers))
                send_digest(reviewer=reviewer, trackers=trackers)
        except IntegrityError:
            return False  # already sent today
        return True

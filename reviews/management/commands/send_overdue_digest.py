"""Email each reviewer the overdue trackers assigned to them, once a day (reviews.digest).

The schedule (``manage.py crontask``) runs the same each morning; this command is for a
run by hand.
"""

from django.core.management.base import BaseCommand

from reviews.digest import send_overdue_digests


class Command(BaseCommand):
    help = "Email each reviewer their overdue trackers (at most once a day)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Overdue digests sent: {send_overdue_digests()}.")

"""Remove the participants whose retention has passed, with everything held on them
(trackers, evidence rows and files, milestones, decisions, QA sample items, history and
access log), and the uploaded referral files past theirs. Run it daily (cron); with
--dry-run it says what would go and changes nothing."""

import logging
from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker_site.privacy.retention import (
    count_held,
    expired_imports,
    expired_participants,
    purge_participant,
    retention_cutoff,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Delete participants whose retention has passed, and old referral files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        today = timezone.localdate()
        rows: Counter = Counter()
        participants = 0
        # Each participant in a transaction of its own: wholly purged, or not at all.
        for participant in expired_participants(today=today).iterator():
            rows += (
                count_held(participant) if dry_run else purge_participant(participant=participant)
            )
            participants += 1
        imports = expired_imports(today=today)
        import_count = imports.count() if dry_run else imports.delete()[0]

        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {participants} participant{'s' if participants != 1 else ''} whose "
            f"live interest ended before {retention_cutoff(today):%-d %B %Y}, and "
            f"{import_count} referral file{'s' if import_count != 1 else ''}."
        )
        for model, count in sorted(rows.items(), key=lambda item: item[0]._meta.label):
            self.stdout.write(f"  {model._meta.label}: {count}")
        if not dry_run:
            logger.info(
                "Retention purge: %s participants, %s rows, %s referral files deleted",
                participants, rows.total(), import_count,
            )  # fmt: skip

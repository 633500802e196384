"""Recalculate every participant's stored milestones from their trackers.

Run nightly (statuses move on as days pass: Projected becomes Achieved) and after bulk
changes; over every participant it then counts the forecast again from the milestones
(``milestones.forecast_days.rebuild``), as the nightly task does. Prints progress and the
throughput in rows written per second.
"""

import time

from django.core.management.base import BaseCommand

from milestones import forecast_days
from milestones.recalculation import recalculate
from participants.models import Participant


class Command(BaseCommand):
    help = "Recalculate every participant's milestones (or one programme's)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, help="Only this programme (id).")

    def handle(self, *args, programme=None, **options) -> None:
        participants = Participant.objects.all()
        if programme:
            participants = participants.filter(programme_id=programme)
        total = participants.count()
        started = time.perf_counter()

        def progress(done: int, rows: int) -> None:
            self.stdout.write(
                f"  {done:,} of {total:,} participants, {rows:,} milestone rows written"
            )

        changes = recalculate(participants, progress=progress)
        seconds = max(time.perf_counter() - started, 1e-9)
        if not programme:
            forecast_days.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Recalculated {total:,} participant{'' if total == 1 else 's'} in {seconds:.1f} s: "
                f"{len(changes.create):,} milestones added, {len(changes.update):,} changed, "
                f"{len(changes.delete):,} removed ({total / seconds:,.0f} participants/s, "
                f"{changes.rows / seconds:,.0f} rows/s)."
            )
        )

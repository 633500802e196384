"""Benchmark: recalculating every participant's stored milestones from their trackers.

    python -m benchmarks.recalculate                 # 100,000 trackers, bench-recalc.sqlite3
    python -m benchmarks.recalculate --trackers 20000
    DATABASE_URL=postgres://... python -m benchmarks.recalculate

Seeds once (two trackers per participant, a two-milestone Restart programme), then runs
the same recalculation as ``manage.py recalculate_milestones`` three times: from nothing
(every row inserted), again (nothing changed, so nothing written) and as the nightly run
a week later would (earnings and weeks left move on, so most rows are updated), with the
tables vacuumed and analysed before each, as they would be between nightly runs, and
reports rows per second, wall clock, with the process's own CPU seconds beside it (the
rest is the database, or waiting for a core on a busy machine).
"""

import argparse
import datetime
import os
import random
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench-recalc.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker_site.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from common.bulk_history import delete_with_history  # noqa: E402
from milestones.models import ParticipantMilestone  # noqa: E402
from milestones.recalculation import BATCH, recalculate  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from participants.models import Participant, Team  # noqa: E402
from programmes.models import FinancialMilestone, Programme  # noqa: E402
from trackers.models import Tracker  # noqa: E402


def seed(trackers: int) -> None:
    if Tracker.objects.count() >= trackers:
        return
    rng = random.Random(7)
    user, _ = get_user_model().objects.get_or_create(username="bench.recalc")
    team, _ = Team.objects.get_or_create(name="North")
    programme, _ = Programme.objects.get_or_create(
        name="DWP Restart – bench",
        defaults={
            "start_date": datetime.date(2021, 7, 1),
            "milestones_enabled": True,
            "scheme": Programme.Scheme.DWP_RESTART,
        },
    )
    for position, amount in enumerate([Decimal("2539.68"), Decimal("5079.36")], start=1):
        FinancialMilestone.objects.get_or_create(
            programme=programme,
            position=position,
            defaults={"name": f"M{position}", "amount": amount},
        )
    employer, _ = Organisation.objects.get_or_create(
        name="Bench Employer", defaults={"owner": user, "status": Organisation.Status.CONFIRMED}
    )
    participants = trackers // 2
    for start in range(0, participants, 5000):
        batch = Participant.objects.bulk_create(
            Participant(
                reference=f"R{number:07d}",
                first_name="Bench",
                last_name=f"Person{number}",
                date_of_birth=datetime.date(1985, 1, 1),
                postcode="LS1 4AP",
                programme=programme,
                programme_start_date=datetime.date(2025, 1, 6)
                + datetime.timedelta(days=number % 300),
                team=team,
            )
            for number in range(start, min(start + 5000, participants))
        )
        jobs = []
        for participant in batch:
            first = participant.programme_start_date + datetime.timedelta(days=rng.randrange(5, 60))
            ended = first + datetime.timedelta(days=rng.randrange(20, 120))
            for job_start, job_end in [(first, ended), (ended + datetime.timedelta(days=14), None)]:
                jobs.append(
                    Tracker(
                        participant=participant,
                        description="Bench job",
                        organisation=employer,
                        start_date=job_start,
                        end_date=job_end,
                        weekly_hours=Decimal(rng.choice(["16", "20", "30", "37.5"])),
                        hourly_rate=Decimal(rng.choice(["11.44", "12.21", "12.71"])),
                        created_by=user,
                    )
                )
        Tracker.objects.bulk_create(jobs)
        print(f"  seeded {start + len(batch):,} of {participants:,} participants", flush=True)


def settle() -> None:
    """Vacuum and analyse the tables, as PostgreSQL's autovacuum (or, on SQLite, the
    nightly upkeep) would have between two nightly runs: passes seconds apart would
    otherwise read with the statistics of before the last one (on PostgreSQL, a full
    scan of the milestones for each batch's, once every row had been deleted)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trackers", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(args.trackers)
    participants = Participant.objects.all()
    trackers = Tracker.objects.count()
    print(
        f"Database: {connection.vendor}; {participants.count():,} participants, {trackers:,} trackers"
    )
    # Every row goes, with its history row, as quickly as the recalculation writes them.
    delete_with_history(
        list(ParticipantMilestone.objects.values_list("pk", flat=True)),
        ParticipantMilestone,
        batch_size=BATCH,
    )
    today = timezone.localdate()
    settle()
    for label, day in [
        ("from nothing", today),
        ("again, nothing changed", today),
        ("a week later", today + datetime.timedelta(days=7)),
    ]:
        started, cpu = time.perf_counter(), time.process_time()
        changes = recalculate(participants, today=day)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        settle()
        print(
            f"{label:<24} {seconds:6.1f} s  {changes.rows:>8,} rows written "
            f"({changes.rows / seconds:,.0f} rows/s; {trackers / seconds:,.0f} trackers/s; "
            f"{cpu:.1f} s CPU in this process)"
        )


if __name__ == "__main__":
    main()

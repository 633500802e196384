"""Benchmark: the full milestones export job on the seeded database, checked complete.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python manage.py seed_scale --participants 250000 \\
        --milestone-share 1 --milestones 4          # 1,007,872 participant milestones
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python -m benchmarks.export --rounds 2

Runs the export as the benchmark's supervisor (who sees every team) the way the page
starts it, to its end, and checks that the file holds every participant milestone and as
many rows as its job recorded; prints the wall-clock time and rows per second.
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker_site.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from benchmarks.pages import run_export  # noqa: E402
from benchmarks.staff import member, signed_in_session  # noqa: E402
from milestones.models import ParticipantMilestone  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
        member("bench.supervisor", "Supervisor")
    )
    expected = ParticipantMilestone.objects.count()
    print(f"{connection.vendor}: {expected:,} participant milestones", flush=True)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for _ in range(args.rounds):
            started = time.perf_counter()
            rows = run_export(client)
            seconds = time.perf_counter() - started
            if rows != expected:
                raise SystemExit(f"The export has {rows:,} rows, not {expected:,}")
            print(f"{rows:,} rows, complete, in {seconds:.1f} s: {rows / seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()

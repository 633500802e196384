"""Benchmark: the participant grid at a provider's scale, as ratios within one run.

    make bench                       # 250,000 participants in bench-grid.sqlite3
    make bench BENCH_ARGS="--rows 10000 --rounds 50"
    DATABASE_URL=postgres://... make bench

Seeds once (reused on later runs), warms up, then requests each page in turn, round
robin, so that noise on a shared machine falls on every page alike. Reports p50 and p95
per page and each page's p50 as a multiple of a minimal signed-in page.
"""

import argparse
import logging
import os
import random
import statistics
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench-grid.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker_site.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

FIRST = [
    "Oliver",
    "Amelia",
    "Mohammed",
    "Isla",
    "Jack",
    "Ava",
    "Harry",
    "Mia",
    "Priya",
    "Rhys",
    "Siân",
    "Callum",
    "Aisha",
    "Tomasz",
]
LAST = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Khan",
    "Patel",
    "O'Brien",
    "Nowak",
    "Hughes",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Jackson",
    "Turner",
    "Hill",
]
AREAS = ["LS", "M", "B", "S", "L", "NE", "BD", "HU", "SW", "CF", "NG", "LE"]


def seed(rows: int) -> None:
    from participants.models import Participant, Team
    from programmes.models import Programme

    existing = Participant.objects.count()
    if existing >= rows:
        return
    rng = random.Random(42)
    teams = [Team.objects.get_or_create(name=name)[0] for name in ("North", "South")]
    programme, _ = Programme.objects.get_or_create(
        name="DWP Restart – CPA 4", defaults={"start_date": "2021-07-01"}
    )
    batch = []
    for number in range(existing, rows):
        batch.append(
            Participant(
                reference=f"B{number:07d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST) + ("" if rng.random() < 0.7 else f"-{rng.choice(LAST)}"),
                date_of_birth="1985-06-01",
                nino=f"AB{number:06d}{'ABCD'[number % 4]}" if number < 10**6 else "",
                postcode=f"{rng.choice(AREAS)}{rng.randint(1, 29)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                programme=programme,
                programme_start_date="2025-01-06",
                team=teams[number % 2],
            )
        )
        if len(batch) == 10_000:
            Participant.objects.bulk_create(batch)
            batch = []
            print(f"  seeded {number + 1:,} of {rows:,}", flush=True)
    Participant.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE participants_participant")


def signed_in_client(username: str, *, superuser: bool = False) -> Client:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from participants.models import Team

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = superuser
    user.save()
    user.groups.add(Group.objects.get(name="Administrator"))
    Team.objects.get(name="North").members.add(user)
    client = Client()
    client.force_login(user)
    return client


def _cursor_of_page(number: int) -> str:
    """The grid's ``?after=`` cursor that opens page ``number`` (keyset pagination: the
    key of the row before it) for the benchmark user's team."""
    from common.pagination import encode_cursor
    from participants.models import Participant

    before = Participant.objects.filter(team__name="North").order_by(
        "last_name", "first_name", "id"
    )[(number - 1) * settings.PAGE_SIZE - 1]
    return encode_cursor(number, [before.last_name, before.first_name, before.pk])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the minimal page is a 404
    print(f"Database: {connection.vendor}; participants: {args.rows:,}")
    call_command("migrate", verbosity=0)
    seed(args.rows)
    staff = signed_in_client("bench.admin")
    superuser = signed_in_client("bench.superuser", superuser=True)
    pages = {
        "minimal signed-in page (404 in layout)": (staff, "/participants/999999999/"),
        "grid, first page": (staff, "/participants/"),
        "grid, search 'smith'": (staff, "/participants/?q=smith"),
        "grid, search 'patel amelia'": (staff, "/participants/?q=patel+amelia"),
        "grid, search NINO 'AB 12 34 56 A'": (staff, "/participants/?q=AB+12+34+56+A"),
        "grid, search postcode 'ls1'": (staff, "/participants/?q=ls1"),
        "grid, search with no match": (staff, "/participants/?q=zzzzqq"),
        "grid, page 200": (staff, f"/participants/?after={_cursor_of_page(200)}"),
        "tuned admin, search 'smith'": (superuser, "/admin/participants/participant/?q=smith"),
        "default admin, search 'smith'": (
            superuser,
            "/default-admin/participants/participant/?q=smith",
        ),
    }
    timings: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, int] = {}
    plain_static = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    with override_settings(
        ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        for name, (client, url) in pages.items():
            for _ in range(args.warmup):
                response = client.get(url)
            if response.status_code not in (200, 404):
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        for _ in range(args.rounds):
            for name, (client, url) in pages.items():
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    client.get(url)
                    timings[name].append(time.perf_counter() - start)
                queries[name] = len(captured)

    base = statistics.median(timings[next(iter(pages))])
    print(f"\n{'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'× minimal':>10} {'queries':>8}")
    for name, values in timings.items():
        values.sort()
        p50 = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{name:<42} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {p50 / base:10.1f} {queries[name]:8d}"
        )
    print(
        f"\nDEBUG={settings.DEBUG}; {args.rounds} rounds after {args.warmup} warm-up requests each."
    )


if __name__ == "__main__":
    main()

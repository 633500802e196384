"""Benchmark, one database: every page of issue 12 in one run, interleaved round robin.

    DATABASE_URL=postgres://.../bench_10k python -m benchmarks.measure --participants 10000

Seeds with ``manage.py seed_scale`` (or reuses a seed of the same size), signs in one
member of staff per role, warms each page up, then requests every page in turn, round
after round, so that noise on a shared machine falls on every page alike. Writes p50,
p95 and the query count of each page as JSON (``--json``), for ``benchmarks.run``.
"""

import argparse
import datetime
import json
import logging
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench-10k.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks import pages  # noqa: E402
from benchmarks.staff import cookie_name, member, signed_in_session, teams_seen  # noqa: E402
from benchmarks.urls import default_admin  # noqa: E402
from milestones.models import ParticipantMilestone  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from participants.models import Participant  # noqa: E402
from programmes.models import Programme  # noqa: E402
from tracker_site.tasks import refresh_planner_statistics  # noqa: E402

# What each admin changelist is searched for: a common word of its rows.
ADMIN_SEARCH = {
    "participants.participant": "smith",
    "trackers.tracker": "warehouse",
    "trackers.evidencedocument": "payslip-1234",
    "organisations.organisation": "warehouse",
    "organisations.contact": "smith",
    "organisations.address": "street",
    "milestones.participantmilestone": "smith",
}
# The admin changelists measured: the product's own models (not auth's, axes' or OTP's).
PROJECT_APPS = ("organisations", "programmes", "participants", "trackers", "milestones", "reviews")
FLOOR = "floor (minimal signed-in page)"


@dataclass
class Page:
    name: str
    go: Callable[[], None]
    group: str = "page"
    # Pages that take seconds (the export) are measured in the first rounds only.
    rounds: int | None = None
    timings: list[float] = field(default_factory=list)
    queries: int = 0


def client_for(user) -> Client:
    client = Client()
    client.cookies[cookie_name()] = signed_in_session(user)
    return client


def get(client: Client, url: str, expect: int = 200) -> Callable[[], None]:
    def go() -> None:
        response = client.get(url)
        if response.status_code != expect:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}, not {expect}")

    return go


def build_pages(args) -> tuple[list[Page], list[str]]:
    teams = teams_seen()
    staff = client_for(member("bench.admin", "Administrator", teams=teams))
    compliance = client_for(member("bench.compliance", "Compliance officer", teams=teams))
    supervisor = client_for(member("bench.supervisor", "Supervisor"))
    superuser = client_for(member("bench.superuser", None, superuser=True))
    notes = []

    visible = Participant.objects.filter(team__in=teams).order_by("reference")
    with_trackers = visible.filter(trackers__isnull=False).distinct()
    profile = with_trackers[with_trackers.count() // 2]
    nino = visible.exclude(nino="")[visible.count() // 3].nino
    spaced_nino = f"{nino[:2]} {nino[2:4]} {nino[4:6]} {nino[6:8]} {nino[8]}"
    restart = Programme.objects.get(milestones_enabled=True)
    targets = list(visible.filter(programme=restart, trackers__isnull=True)[:500])
    employer = Organisation.objects.filter(status=Organisation.Status.CONFIRMED).order_by("pk")[1]
    posted = iter(range(10**9))

    def create_tracker() -> None:
        participant = targets[next(posted) % len(targets)]
        url = f"/participants/{participant.pk}/trackers/new/"
        response = staff.post(url, pages.tracker_form(employer.pk))
        if response.status_code != 302:
            raise SystemExit(f"POST {url}: HTTP {response.status_code}, not a redirect")

    def export() -> None:
        rows = pages.run_export(supervisor)
        expected = ParticipantMilestone.objects.count()
        if rows != expected:
            raise SystemExit(f"The export gave {rows:,} rows of {expected:,}")

    shown = ParticipantMilestone.objects.filter(participant__team__in=teams).count()
    last_page = math.ceil(shown / settings.PAGE_SIZE)
    result = [
        Page(FLOOR, get(staff, "/bench/floor/")),
        Page("grid, first page", get(staff, "/participants/")),
        Page("grid, search 'smith'", get(staff, "/participants/?q=smith")),
        Page("grid, search 'patel amelia'", get(staff, "/participants/?q=patel+amelia")),
        # One match: the grid sends the user straight to the participant.
        Page(
            "grid, search NINO (redirects to the profile)",
            get(staff, f"/participants/?q={spaced_nino.replace(' ', '+')}", expect=302),
        ),
        Page("Trackers screen", get(staff, f"/participants/{profile.pk}/trackers/")),
        Page("profile", get(staff, f"/participants/{profile.pk}/")),
        Page("Create Tracker POST (recalculates)", create_tracker),
    ]
    for number in (1, 500, 3000):
        url = pages.milestones_page_url(staff, number)
        result.append(Page(f"Milestones, page {number}", get(staff, url)))
        if number > last_page:
            notes.append(f"Milestones page {number} is past the end ({last_page:,} pages).")
    result += [
        Page("forecast", get(staff, "/milestones/forecast/")),
        Page("compliance queue (reviews)", get(compliance, "/reviews/")),
        Page(
            f"milestones export ({ParticipantMilestone.objects.count():,} rows, a job run to its end)",
            export,
            rounds=args.export_rounds,
        ),
    ]
    if args.admin:
        result += admin_pages(superuser, visible[visible.count() // 4].reference)
    return result, notes


def admin_pages(superuser: Client, reference: str) -> list[Page]:
    """Each changelist of the tuned admin and of the default one, with and without a
    search; the admin's "by reference" searches as the issue measured them."""
    result = []
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        label = model._meta.label_lower
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        term = (
            ADMIN_SEARCH.get(label, "smith") if admin.site._registry[model].search_fields else None
        )
        searches = [None, term] if term else [None]
        if label == "trackers.tracker":
            searches.append(reference)
        if label == "participants.participant":
            searches.append(reference)
        for site, group in ((admin.site, "admin"), (default_admin, "default admin")):
            url = reverse(f"{site.name}:{name}_changelist")
            for search in searches:
                shown = "by reference" if search == reference else f"'{search}'"
                title = f"{group}: {model._meta.verbose_name_plural}" + (
                    f", search {shown}" if search else ""
                )
                query = f"?q={search}" if search else ""
                result.append(Page(title, get(superuser, url + query), group=group))
    return result


def measure(pages_: list[Page], rounds: int, warmup: int) -> None:
    for page in pages_:
        for _ in range(warmup if page.rounds is None else min(warmup, 1)):
            page.go()
    for number in range(rounds):
        started = time.perf_counter()
        for page in pages_:
            if page.rounds is not None and number >= page.rounds:
                continue
            # Each request empties the query log (request_started): start from empty.
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                page.go()
                page.timings.append(time.perf_counter() - start)
            page.queries = len(captured)
        print(
            f"  round {number + 1} of {rounds}: {time.perf_counter() - started:.1f} s", flush=True
        )


def engine_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0].split(" ")[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--documents-per-tracker", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--export-rounds", type=int, default=3)
    parser.add_argument("--no-admin", dest="admin", action="store_false")
    parser.add_argument("--json", type=Path, help="Write the results here.")
    args = parser.parse_args()

    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    call_command(
        "seed_scale",
        participants=args.participants,
        documents_per_tracker=args.documents_per_tracker,
        reuse=Participant.objects.exists(),
    )
    # As the nightly upkeep leaves a database (a migration may have added indexes since
    # the seed analysed the tables).
    refresh_planner_statistics.call()
    print(f"Measuring on {connection.vendor} at {args.participants:,} participants", flush=True)
    plain_static = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=plain_static):
        pages_, notes = build_pages(args)
        measure(pages_, args.rounds, args.warmup)
    results = {
        "engine": connection.vendor,
        "engine_version": engine_version(),
        "participants": args.participants,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "export_rounds": args.export_rounds,
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "debug": settings.DEBUG,
        "notes": notes,
        "pages": [
            asdict(page)
            | {
                "p50": statistics.median(page.timings),
                "p95": percentile(page.timings, 0.95),
                "go": None,
            }
            for page in pages_
        ],
    }
    for page in results["pages"]:
        del page["go"]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    else:
        json.dump(results, sys.stdout, indent=1)


if __name__ == "__main__":
    main()

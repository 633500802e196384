"""Benchmark, under load: gunicorn on 127.0.0.1 and fifty simulated staff (locust).

    DATABASE_URL=postgres://.../bench_250k python -m benchmarks.load --json load.json

Uses a seeded database (benchmarks.measure seeds it). Makes a signed-in session for each
simulated member of staff, starts gunicorn on a free port with the benchmark settings,
then runs locust headless twice as a separate process (never imported here: it patches
the standard library with gevent): once alone, and once while one member of staff runs
the full milestones export. Reports requests per second, p95, errors and the floor
page's own p95 under the same load, and what the export got.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("SECRET_KEY", "benchmark-only")
# Plain HTTP on 127.0.0.1: cookies without the Secure flag (and so without __Host-).
os.environ["SECURE_COOKIES"] = "0"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks import pages  # noqa: E402
from benchmarks.staff import cookie_name, member, signed_in_session, teams_seen  # noqa: E402
from jobs.models import Job  # noqa: E402
from milestones.models import ParticipantMilestone  # noqa: E402
from participants.models import Participant  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(static_root: str) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "STATIC_ROOT": static_root,
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    """With the project's gunicorn.conf.py when there is one (gunicorn reads it from the
    working directory); otherwise gunicorn's defaults with two sync workers."""
    command = [str(BIN / "gunicorn"), "tracker_site.wsgi:application", "-b", f"127.0.0.1:{port}"]
    if not (BASE_DIR / "gunicorn.conf.py").exists():
        command += ["--workers", "2"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def sessions_file(users: int, directory: str) -> str:
    teams = teams_seen()
    visible = Participant.objects.filter(team__in=teams, trackers__isnull=False).distinct()
    setup = {
        "cookie": cookie_name(),
        "sessions": [
            signed_in_session(member(f"bench.load{n:03d}", "Administrator", teams=teams))
            for n in range(users)
        ],
        "participants": list(visible.order_by("pk").values_list("pk", flat=True)[:2000]),
    }
    path = Path(directory) / "sessions.json"
    path.write_text(json.dumps(setup))
    return str(path)


def run_locust(port: int, args, directory: str, label: str, env: dict) -> dict:
    prefix = Path(directory) / label
    command = [
        str(BIN / "locust"), "-f", str(BASE_DIR / "benchmarks" / "locustfile.py"),
        "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
        "--csv", str(prefix), "--host", f"http://127.0.0.1:{port}", "--only-summary",
    ]  # fmt: skip
    sessions = sessions_file(args.users, directory)
    subprocess.run(  # noqa: S603 - our own commands
        command, env=env | {"BENCH_SESSIONS": sessions}, check=False, capture_output=True
    )
    rows = {row["Name"]: row for row in csv.DictReader(open(f"{prefix}_stats.csv"))}  # noqa: SIM115
    total = rows["Aggregated"]
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))  # noqa: SIM115
    return {
        "failures": [f"{f['Name']}: {f['Error']} ({f['Occurrences']}×)" for f in failures][:10],
        "requests": int(total["Request Count"]),
        "requests_per_second": float(total["Requests/s"]),
        "p95_ms": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "floor_p95_ms": float(rows["floor"]["95%"]) if "floor" in rows else None,
        "pages": {
            name: {"p50_ms": float(row["50%"]), "p95_ms": float(row["95%"])}
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }


def export_while(stop: threading.Event, env: dict, result: dict) -> None:
    """The supervisor's full milestones export, over and over until the load ends: each
    started as the Export button starts it and run by a real worker (``manage.py
    db_worker``) beside gunicorn, as in production; how long each took and how many rows
    its file holds of how many there are."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie_name()] = signed_in_session(member("bench.supervisor", "Supervisor"))
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    expected = ParticipantMilestone.objects.count()
    result["exports"] = []
    try:
        while not stop.is_set():
            started = time.perf_counter()
            client.post(pages.EXPORT_URL, pages.EXPORT_FILTERS)
            job = Job.objects.latest("pk")
            while not job.is_finished and not stop.wait(0.5):
                job.refresh_from_db()
            if not job.is_finished:
                break  # the load ended first: a half-run export says nothing
            rows, error = -1, ""
            try:
                rows = pages.exported_rows(job)
            except RuntimeError as exc:
                error = str(exc)
            result["exports"].append(
                {
                    "seconds": round(time.perf_counter() - started, 1),
                    "status": job.status,
                    "rows": rows,
                    "expected_rows": expected,
                    "complete": rows == expected,
                    "error": error,
                }
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="60s")
    parser.add_argument("--no-export", dest="export", action="store_false")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not Participant.objects.exists():
        raise SystemExit("Seed the database first (python -m benchmarks.measure does).")

    results = {"users": args.users, "time": args.time, "participants": Participant.objects.count()}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as directory:
        env = server_environment(str(Path(directory) / "static"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=BASE_DIR, env=env, check=True,
        )  # fmt: skip
        port = free_port()
        server = start_gunicorn(port, env)
        try:
            print(f"  load: {args.users} staff for {args.time}", flush=True)
            results["alone"] = run_locust(port, args, directory, "alone", env)
            if args.export:
                print("  load: the same while an export runs", flush=True)
                stop, exported = threading.Event(), {}
                thread = threading.Thread(target=export_while, args=(stop, env, exported))
                thread.start()
                results["with_export"] = run_locust(port, args, directory, "export", env)
                stop.set()
                thread.join()
                results["with_export"] |= exported
        finally:
            server.terminate()
            server.wait(timeout=30)
    results["workers"] = (
        "gunicorn.conf.py" if (BASE_DIR / "gunicorn.conf.py").exists() else "2 sync workers"
    )
    results["debug"] = settings.DEBUG
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    else:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark: every page of issue 12 at 10k and 250k participants, on SQLite and (when
BENCH_DATABASE_URL names a PostgreSQL server) PostgreSQL, then a load run.

    make bench                                   # everything: 10k and 250k, load runs
    make bench BENCH_ARGS="--sizes 10k --rounds 10 --no-load"      # a quick run
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 make bench

SQLite databases are files (bench-10k.sqlite3, bench-250k.sqlite3; git-ignored);
PostgreSQL databases are bench_10k and bench_250k on that server (made when missing).
Each is seeded once by ``manage.py seed_scale`` and reused after. Each database is
measured by its own process (benchmarks.measure: all pages interleaved round robin in
one run), then loaded (benchmarks.load: gunicorn and locust) at the largest size.
Writes one Markdown report to benchmarks/results/ and prints it.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "benchmarks" / "results"
FLOOR = "floor (minimal signed-in page)"


def size_of(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def label_of(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(engine: str, size: int, server: str | None) -> str:
    if engine == "sqlite":
        return f"sqlite:///{BASE_DIR / f'bench-{label_of(size)}.sqlite3'}"
    name = f"bench_{label_of(size)}"
    create_database(server, name)
    return f"{server.rstrip('/')}/{name}"


def create_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def run_module(module: str, url: str, arguments: list[str], output: Path) -> dict:
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    command = [sys.executable, "-m", module, *arguments, "--json", str(output)]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603
    return json.loads(output.read_text())


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {kilobytes / 1024 / 1024:.0f} GB memory"
    return f"{os.cpu_count()} CPUs (nproc){memory}, {platform.platform()}, Python {platform.python_version()}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def table(result: dict, smaller: dict | None) -> list[str]:
    pages = {page["name"]: page for page in result["pages"]}
    floor = pages[FLOOR]
    small = {page["name"]: page for page in smaller["pages"]} if smaller else {}
    against = f"p50 ÷ p50 at {label_of(smaller['participants'])}" if smaller else "p50 ÷ smaller"
    lines = [
        f"| page | p50 ms | p95 ms | queries | p50÷floor | p95÷floor | ÷ default admin | {against} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in pages.items():
        default = pages.get(name.replace("admin: ", "default admin: ", 1))
        versus = (
            f"{page['p50'] / default['p50']:.2f}" if name.startswith("admin: ") and default else ""
        )
        other = small.get(name)
        growth = f"{page['p50'] / other['p50']:.2f}" if other else ""
        lines.append(
            f"| {name} | {ms(page['p50'])} | {ms(page['p95'])} | {page['queries']} | "
            f"{page['p50'] / floor['p50']:.1f} | {page['p95'] / floor['p95']:.1f} | {versus} | "
            f"{growth} |"
        )
    return lines


def load_table(load: dict) -> list[str]:
    lines = [
        f"Load run at {load['participants']:,} participants: gunicorn ({load['workers']}) on "
        f"127.0.0.1, {load['users']} simulated staff (locust, headless) for {load['time']}.",
        "",
        "| run | requests | requests/s | p95 ms | errors | floor's p95 ms | p95 ÷ floor's p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, key in (("alone", "alone"), ("while an export runs", "with_export")):
        run = load.get(key)
        if not run:
            continue
        floor = run["floor_p95_ms"]
        ratio = f"{run['p95_ms'] / floor:.1f}" if floor else ""
        lines.append(
            f"| {label} | {run['requests']:,} | {run['requests_per_second']:.1f} | "
            f"{run['p95_ms']:,.0f} | {run['errors']} | {floor or ''} | {ratio} |"
        )
    lines.append("")
    for key in ("alone", "with_export"):
        run = load.get(key) or {}
        for failure in run.get("failures", []):
            lines.append(f"- error ({key}): {failure}")
        for export in run.get("exports", []):
            lines.append(
                f"- export during the load: {export['status']}, {export['rows']:,} of "
                f"{export['expected_rows']:,} rows in {export['seconds']} s"
                + ("" if export["complete"] else " — **incomplete**")
                + (f" ({export['error']})" if export["error"] else "")
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,250k", help="Participants, e.g. 10k,250k.")
    parser.add_argument(
        "--engines", default="sqlite,postgresql", help="postgresql needs BENCH_DATABASE_URL."
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--export-rounds", type=int, default=3)
    parser.add_argument("--documents-per-tracker", type=float, default=2)
    parser.add_argument("--no-admin", dest="admin", action="store_false")
    parser.add_argument("--no-load", dest="load", action="store_false")
    parser.add_argument("--no-load-export", dest="load_export", action="store_false")
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-time", default="60s")
    parser.add_argument("--output", type=Path, help="The report (default: results/<time>.md).")
    args = parser.parse_args()

    sizes = sorted(size_of(size) for size in args.sizes.split(","))
    server = os.environ.get("BENCH_DATABASE_URL")
    engines = [engine.strip() for engine in args.engines.split(",")]
    if "postgresql" in engines and not server:
        print("BENCH_DATABASE_URL is not set: measuring SQLite only.")
        engines.remove("postgresql")
    started = datetime.datetime.now(datetime.UTC)
    report = [
        f"# Benchmark, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}. Sizes: {', '.join(label_of(s) for s in sizes)} participants. "
        f"{args.rounds} interleaved rounds after {args.warmup} warm-up requests per page "
        f"(the export: {args.export_rounds} rounds). In-process (Django test client), "
        "DEBUG off; ratios are within one run.",
        "",
    ]
    measure_args = [
        "--rounds", str(args.rounds), "--warmup", str(args.warmup),
        "--export-rounds", str(args.export_rounds),
        "--documents-per-tracker", str(args.documents_per_tracker),
    ] + ([] if args.admin else ["--no-admin"])  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        for engine in engines:
            previous = None
            for size in sizes:
                url = database_url(engine, size, server)
                print(f"== {engine}, {size:,} participants", flush=True)
                result = run_module(
                    "benchmarks.measure",
                    url,
                    ["--participants", str(size), *measure_args],
                    Path(directory) / f"{engine}-{size}.json",
                )
                version = result.get("engine_version", "")
                report += [f"## {engine} {version}, {size:,} participants", ""]
                report += table(result, previous)
                report += [""] + [f"- {note}" for note in result["notes"]] + [""]
                previous = result
            if args.load:
                load_args = ["--users", str(args.load_users), "--time", args.load_time]
                load = run_module(
                    "benchmarks.load",
                    database_url(engine, sizes[-1], server),
                    load_args + ([] if args.load_export else ["--no-export"]),
                    Path(directory) / f"{engine}-load.json",
                )
                report += [f"## {engine}, under load", "", *load_table(load), ""]
    RESULTS.mkdir(exist_ok=True)
    output = args.output or RESULTS / f"{started:%Y-%m-%d-%H%M}.md"
    output.write_text("\n".join(report) + "\n")
    print("\n".join(report))
    print(f"Written to {output}")


if __name__ == "__main__":
    main()

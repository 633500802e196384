"""Migrating a database made before the layering keeps every row.

``data/before-layers.*`` are databases made by ``main`` at aa8c0d5 (the last commit
before the programme models moved out of ``milestones``): ``migrate`` then ``load_demo``,
one on SQLite, one on PostgreSQL (``pg_dump``). Each test restores the one of the engine
the suite runs on into a database of its own, runs today's ``manage.py migrate`` on it
in a separate process, as a deployment would, and compares every table's rows.
"""

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

DATA = Path(__file__).parent / "data"
# Tables whose rows a migrate may add to (never take away): what it records and creates.
GROWS = {"django_migrations", "django_content_type", "auth_permission", "auth_group_permissions"}


def manage(*args: str, database_url: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py, with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "migration-test"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


class Sqlite:
    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "before-layers.sqlite3"
        with gzip.open(DATA / "before-layers.sqlite3.gz") as packed, self.path.open("wb") as out:
            shutil.copyfileobj(packed, out)
        self.url = f"sqlite:///{self.path}"

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.path) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        rows = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'participants_participant_fts%'"
        )
        return sorted(name for (name,) in rows)

    def drop(self) -> None:
        self.path.unlink()


class Postgresql:
    def __init__(self, tmp_path: Path):
        config = settings.DATABASES["default"]
        self.server = {
            "host": config["HOST"] or "127.0.0.1",
            "port": config["PORT"] or 5432,
            "user": config["USER"],
            "password": config["PASSWORD"],
        }
        self.name = f"migration_check_{uuid.uuid4().hex[:12]}"
        with self._connect("postgres") as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        subprocess.run(  # noqa: S603 - psql restoring our own dump
            [shutil.which("psql") or "psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.server["host"]), "-p", str(self.server["port"]),
             "-U", self.server["user"], "-d", self.name],
            input=gzip.decompress((DATA / "before-layers.postgresql.sql.gz").read_bytes()),
            env=os.environ | {"PGPASSWORD": self.server["password"] or ""},
            capture_output=True,
            check=True,
        )  # fmt: skip
        password = f":{self.server['password']}" if self.server["password"] else ""
        self.url = (
            f"postgres://{self.server['user']}{password}@{self.server['host']}:"
            f"{self.server['port']}/{self.name}"
        )

    def _connect(self, name: str) -> psycopg.Connection:
        return psycopg.connect(dbname=name, autocommit=True, **self.server)

    def query(self, sql: str) -> list[tuple]:
        with self._connect(self.name) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return sorted(name for (name,) in rows)

    def drop(self) -> None:
        with self._connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def before_layers(tmp_path):
    """The database of the engine under test, as ``main`` left it before the layering."""
    if connection.vendor == "postgresql" and not shutil.which("psql"):
        pytest.fail("psql is needed to restore the PostgreSQL database made before the layers")
    database = {"sqlite": Sqlite, "postgresql": Postgresql}[connection.vendor](tmp_path)
    yield database
    database.drop()


def row_counts(database) -> dict[str, int]:
    return {
        table: database.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 - table names from the catalogue
        for table in database.tables()
    }


def test_migrate_from_before_the_layers_keeps_every_row(before_layers):
    before = row_counts(before_layers)
    assert before["participants_participant"] == 200
    assert before["milestones_participantmilestone"] == 100

    manage("migrate", "--no-input", database_url=before_layers.url)

    after = row_counts(before_layers)
    assert set(after) > set(before)  # later apps add tables of their own
    assert {t: after[t] for t in before if t not in GROWS} == {
        t: n for t, n in before.items() if t not in GROWS
    }
    assert all(after[table] >= before[table] for table in GROWS)


def test_migrate_from_before_the_layers_gives_closed_trackers_a_review_status(before_layers):
    closed = before_layers.query("SELECT id FROM trackers_tracker WHERE status = 'closed'")

    manage("migrate", "--no-input", database_url=before_layers.url)

    # The demo closed its ended jobs as it made them: they had no review status before.
    assert len(closed) > 0
    statuses = before_layers.query("SELECT DISTINCT status FROM trackers_tracker ORDER BY 1")
    assert statuses == [("new",)]
    ended = before_layers.query("SELECT COUNT(*) FROM trackers_tracker WHERE end_date IS NOT NULL")[
        0
    ][0]
    assert ended == len(closed)


def test_migrate_from_before_the_layers_moves_the_programme_models_with_their_permissions(
    before_layers,
):
    # (ForecastDay and ClaimAttempt came later, with content types of their own.)
    content_types = (
        "SELECT id FROM django_content_type WHERE app_label = '{}' AND model NOT IN "
        "('forecastday', 'claimattempt', 'historicalclaimattempt')"
    )
    moved_ids = before_layers.query(content_types.format("milestones"))

    manage("migrate", "--no-input", database_url=before_layers.url)

    # The same content types (so the same permissions and admin log entries), relabelled.
    labels = before_layers.query(
        "SELECT app_label, model FROM django_content_type "
        "WHERE app_label IN ('milestones', 'programmes') ORDER BY app_label, model"
    )
    assert labels == [
        ("milestones", "claimattempt"),  # (later models of their own)
        ("milestones", "forecastday"),
        ("milestones", "historicalclaimattempt"),
        ("milestones", "historicalparticipantmilestone"),
        ("milestones", "participantmilestone"),
        ("programmes", "financialmilestone"),
        ("programmes", "historicalfinancialmilestone"),
        ("programmes", "historicalminimumwagerate"),
        ("programmes", "historicalprogramme"),
        ("programmes", "minimumwagerate"),
        ("programmes", "programme"),
    ]
    assert sorted(
        before_layers.query(content_types.format("milestones"))
        + before_layers.query(content_types.format("programmes"))
    ) == sorted(moved_ids)
    supervisor_grants = before_layers.query(
        "SELECT ct.app_label || '.' || p.codename FROM auth_group g "
        "JOIN auth_group_permissions gp ON gp.group_id = g.id "
        "JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id "
        "WHERE g.name = 'Supervisor' AND p.codename LIKE '%programme'"
    )
    assert sorted(grant for (grant,) in supervisor_grants) == [
        "programmes.add_programme",
        "programmes.change_programme",
        "programmes.view_programme",
    ]
    # Nothing is left for a later migrate to do.
    assert "No planned migration operations." in manage(
        "migrate", "--plan", database_url=before_layers.url
    )

"""Real workers for tests: ``manage.py db_worker`` (the database backend) and
``manage.py rqworker`` against the Redis at REDIS_URL (the RQ backend), each a
subprocess on the test database (tests/jobs, tests/browser)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from jobs.models import Job

BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}


def database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is not running at {url} ({error}): start it, or set REDIS_URL"
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)


class Workers:
    """Starts workers of one backend in their own process groups; stops them all."""

    def __init__(self, backend: str, media_root: Path) -> None:
        self.backend = backend
        self.env = os.environ | {
            "DATABASE_URL": database_url(),
            "TASK_BACKEND": backend,
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(media_root),
            "SECRET_KEY": "x",
            "DEBUG": "0",
        }
        self.processes: list[subprocess.Popen] = []

    def _command(self, *, until_empty: bool) -> list[str]:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if self.backend == "database":
            command = ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]
            return [*manage, *command, *(["--batch"] if until_empty else [])]
        worker = [*manage, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        return [*worker, *(["--burst"] if until_empty else [])]

    def start(self) -> subprocess.Popen:
        """A worker that runs until it is stopped (or killed)."""
        process = subprocess.Popen(  # noqa: S603
            self._command(until_empty=False),
            env=self.env,
            cwd=settings.BASE_DIR,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def run_until_empty(self) -> None:
        """A worker that runs every task queued, then exits (batch / burst mode)."""
        subprocess.run(  # noqa: S603
            self._command(until_empty=True),
            env=self.env,
            cwd=settings.BASE_DIR,
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )

    def kill(self, process: subprocess.Popen) -> None:
        """As when its machine goes away: no chance to tidy up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def wait_for(job: Job, condition, *, timeout: float = 60) -> Job:
    """The job once ``condition(job)`` holds, polling the database."""
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if condition(job):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting; the job is {job.status}: {job.error}")
        time.sleep(0.1)

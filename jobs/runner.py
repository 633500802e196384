"""Running a job inside its task: claiming it, reporting progress, keeping its result.

A task that runs a job is a few lines in its app::

    @task
    def export_milestones(job_id: int) -> None:
        run_job(job_id, write_milestones_csv)

where the body takes a ``JobRun``. The runner makes running a job twice give one result:

- a job that is Done or Failed is left alone (a task delivered twice is a no-op);
- each attempt claims the job by raising ``attempts``, and every later write of that
  attempt is conditional on it, so a worker that was given up for dead and comes back
  stops at its next progress report instead of writing over its successor;
- the result is written to a temporary file and saved to storage only when complete,
  and the job points at it in the same write that marks it Done: nobody sees half a file.

A body that does all its work in one transaction (an import, all of it or none) still
shows its progress: inside a transaction, progress is written through a second
connection of its own, committed at once, so that the job's page sees it move and the
heartbeat beats. SQLite allows one writer at a time, so there progress written inside a
transaction waits for the commit, as before.
"""

import logging
import tempfile
import time
from collections.abc import Callable
from typing import TextIO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import F
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from jobs.models import Job, result_path

logger = logging.getLogger(__name__)

Status = Job.Status

# Progress is written at most this often (seconds): a write per row would cost more
# than the work. Each write is also the heartbeat that says the worker is alive.
PROGRESS_EVERY = 1.0


FAILED_MESSAGE = (
    "Something went wrong while the job ran. Start it again, or tell your administrator "
    "if it fails again."
)


class Superseded(Exception):
    """Another attempt has taken the job over: this one stops without writing."""


class JobError(Exception):
    """A failure the user can act on; its message is shown on the job's page."""


class JobRun:
    """One attempt at a job, as its body sees it."""

    def __init__(self, job: Job, attempt: int) -> None:
        self.job = job
        self.attempt = attempt
        self.parameters = job.parameters
        self.row_count: int | None = None
        self._written_at = 0.0
        self._result: tuple[str, TextIO] | None = None
        self._side = None  # the run's own connection for progress, once needed
        # Begun inside a transaction (a test's, say), the job's row may not be committed
        # yet, and another connection would not see it.
        self._began_outside = not connection.in_atomic_block

    def _mine(self):
        return Job.objects.filter(pk=self.job.pk, attempts=self.attempt, status=Status.RUNNING)

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Report how far the job has got (written at most every PROGRESS_EVERY seconds
        unless ``force``); raises Superseded if another attempt has taken over."""
        now = time.monotonic()
        if not force and now - self._written_at < PROGRESS_EVERY:
            return
        self._written_at = now
        fields = {"progress_done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["progress_total"] = total
        if not self._update_now(fields):
            raise Superseded(self.job.pk)

    def _update_now(self, fields: dict) -> int:
        """Update this attempt's job row and commit it, even inside the body's
        transaction (through a connection of the run's own); returns the rows updated."""
        if not self._writes_aside():
            return self._mine().update(**fields)
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        query = self._mine().query.chain(UpdateQuery)
        query.add_update_values(fields)
        sql, params = query.get_compiler(connection=self._side).as_sql()
        with self._side.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _writes_aside(self) -> bool:
        """Whether progress goes through the run's own connection: on PostgreSQL inside
        the body's transaction, so that it is seen at once; on SQLite outside one, since
        a connection still reading (an export's rows) cannot write once another has
        committed since its read began ("database is locked", however long it waits).
        SQLite inside the body's transaction writes there, seen when it commits: a
        second connection would wait for that transaction's own lock."""
        if not self._began_outside:
            return False
        if connection.vendor == "sqlite":
            return not connection.in_atomic_block
        return connection.in_atomic_block

    def _close(self) -> None:
        if self._result is not None:
            self._result[1].close()
        if self._side is not None:
            self._side.close()

    def result_file(self, filename: str) -> TextIO:
        """A temporary text file for the result, saved as ``filename`` once the body
        returns (UTF-8; CSV writers want ``newline=""``, which it has)."""
        handle = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._result = (filename, handle)
        return handle

    def _save_result(self) -> str:
        if self._result is None:
            return ""
        filename, handle = self._result
        handle.flush()
        handle.seek(0)
        path = result_path(self.job, filename)
        # Left by an attempt that was then rerun: it was never the job's (not Done).
        if default_storage.exists(path):
            default_storage.delete(path)
        with handle, File(handle.buffer, name=filename) as content:
            return default_storage.save(path, content)


def run_job(job_id: int, body: Callable[[JobRun], None]) -> None:
    """Run the job's body once, unless it is already finished or someone else's."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress_done=0,
    )
    if not claimed:
        logger.info("Job %s is not queued: nothing to do", job_id)
        return
    job = Job.objects.get(pk=job_id)
    run = JobRun(job, job.attempts)
    try:
        body(run)
        name = run._save_result()
    except Superseded:
        logger.info("Job %s attempt %s was superseded", job_id, run.attempt)
        return
    except JobError as error:
        _fail(run, str(error))
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        _fail(run, FAILED_MESSAGE)
        return
    finally:
        run._close()
    _finish(run, name)


def _finish(run: JobRun, name: str) -> None:
    old = run.job.result.name
    now = timezone.now()
    fields = {"status": Status.DONE, "finished_at": now, "heartbeat_at": now, "result": name}
    if run.row_count is not None:
        fields["row_count"] = run.row_count
        fields["progress_done"] = run.row_count
    if not run._mine().update(**fields):
        if name:
            default_storage.delete(name)
        logger.info("Job %s attempt %s finished after being superseded", run.job.pk, run.attempt)
        return
    # An earlier attempt's file (kept when its attempt finished but was then rerun).
    if old and old != name:
        default_storage.delete(old)


def _fail(run: JobRun, message: str) -> None:
    run._mine().update(status=Status.FAILED, finished_at=timezone.now(), error=message[:500])

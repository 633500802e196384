import dataclasses
import logging
import os
import re
import uuid

import pytest
from clamav_client.clamd import ClamdError, ClamdUnixSocket

from tests.factories import PASSWORD, ProgrammeFactory, TeamFactory, UserFactory
from tests.tracker_site.world import build_world


@pytest.fixture
def north(db):
    return TeamFactory(name="North")


@pytest.fixture
def south(db):
    return TeamFactory(name="South")


@pytest.fixture
def programme(db):
    """DWP Restart – CPA 4, which started on 1 July 2021."""
    return ProgrammeFactory()


@pytest.fixture
def administrator(north):
    """An Administrator in the North team."""
    return UserFactory(username="admin", role="Administrator", teams=[north])


@pytest.fixture
def supervisor(db):
    """A Supervisor, who sees every team."""
    return UserFactory(username="supervisor", role="Supervisor")


@pytest.fixture
def compliance(north):
    return UserFactory(username="compliance", role="Compliance officer", teams=[north])


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(scope="session")
def s3_server() -> str:
    """The address of a real S3-compatible server (moto's, in a thread of this process)
    on a free port, for the tests' lifetime."""
    # Imported here: moto and boto3 take most of a second, which only these tests need.
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclasses.dataclass(frozen=True)
class Bucket:
    """A bucket of the test S3 server, seen from outside the application."""

    client: object
    name: str
    prefix: str

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def key_of(self, stored_name: str) -> str:
        """The object key of a file the storage named ``stored_name``."""
        return f"{self.prefix}/{stored_name}"


S3_REGION = "eu-west-2"


def s3_storage_settings(endpoint_url: str, bucket: str, prefix: str) -> dict:
    """STORAGES' default as settings.py makes it for STORAGE_BACKEND=s3."""
    return {
        "BACKEND": "common.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": S3_REGION,
            "access_key": "test-access-key",
            "secret_key": "test-secret-key",
            "location": prefix,
        },
    }


@pytest.fixture
def quiet_s3_logs():
    """boto3 and the S3 server log every request at DEBUG, which the tests' root logger
    would keep: only their warnings and errors while the test runs."""
    quiet = [
        logging.getLogger(n) for n in ("botocore", "boto3", "s3transfer", "urllib3", "werkzeug")
    ]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    yield
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def s3_bucket(s3_server, settings, quiet_s3_logs) -> Bucket:
    """Every stored file goes to a new private bucket of the test S3 server: the default
    storage (evidence, and any other file the application stores) is swapped to it."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=S3_REGION,
        aws_access_key_id="test-access-key",
        aws_secret_access_key="test-secret-key",
    )
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    settings.STORAGES = settings.STORAGES | {
        "default": s3_storage_settings(s3_server, name, "tracker-test")
    }
    return Bucket(client=client, name=name, prefix="tracker-test")


@pytest.fixture
def on_progress(monkeypatch):
    """``on_progress(callback)``: every progress report a job makes is written (none
    skipped for being too soon) and then passed to ``callback(run, done, total)``."""
    from jobs import runner

    monkeypatch.setattr(runner, "PROGRESS_EVERY", 0)
    progress = runner.JobRun.progress

    def watch(callback) -> None:
        def watched(self, done, total=None, **kwargs):
            progress(self, done, total, **kwargs)
            callback(self, done, total)

        monkeypatch.setattr(runner.JobRun, "progress", watched)

    return watch


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files without the production manifest (built by collectstatic),
    hash passwords quickly (the real hasher's slowness is the point in production), and
    sign in with a password alone."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # force_login stands for both steps of signing in; tests/tracker_site/accounts turn
    # two-factor sign-in on and walk the second step.
    settings.TWO_FACTOR_REQUIRED = False
    # Tasks run in the process that enqueues them (tests/jobs run real workers).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# Anything shaped like a NINO in a line, written together or grouped (QQ 12 34 56 C).
NINO_IN_TEXT = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)


class _SecretsInLogs(logging.Handler):
    """Keeps every log line that holds a NINO or the test users' password."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if NINO_IN_TEXT.search(text) or PASSWORD in text:
            self.found.append(text)


@pytest.fixture(autouse=True)
def _no_secrets_in_logs():
    """No log line, anywhere in the suite, holds a NINO or a password (ASVS 16.2.5):
    logs reach people and places the participants' records do not."""
    handler = _SecretsInLogs()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield
    root.removeHandler(handler)
    root.setLevel(previous)
    assert handler.found == [], "A log line holds a NINO or a password"


@pytest.fixture
def clamd(settings) -> str:
    """The socket of the clamd that settings.CLAMAV names (``scripts/clamd-for-tests``
    starts one with the test signatures). Without one answering, the test is skipped,
    or fails when REQUIRE_CLAMAV is set (as CI sets it)."""
    path = settings.CLAMAV["SOCKET"]
    try:
        answer = ClamdUnixSocket(path=path, timeout=5).ping() if path else "no CLAMAV_SOCKET"
    except ClamdError as error:
        answer = str(error)
    if answer != "PONG":
        message = (
            f"clamd is not running ({answer}): run the tests with "
            "scripts/clamd-for-tests run .venv/bin/pytest …"
        )
        if os.environ.get("REQUIRE_CLAMAV"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def world(db, media_root):
    """The permission tests' world (tests/tracker_site/world.py)."""
    return build_world()


@pytest.fixture
def signed_in_as(client, world):
    """A client signed in as the role (``anonymous``: not signed in; ``deactivated``:
    signed in, then the account made inactive)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(world[role])
        if role == "deactivated":
            world[role].is_active = False
            world[role].save(update_fields=["is_active"])
        return client

    return sign_in

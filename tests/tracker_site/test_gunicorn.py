"""The production server: gunicorn started with the project's gunicorn.conf.py on a free
port against the test database, asked for the health check, and stopped."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def url_of_the_test_database() -> str:
    """The test database as a DATABASE_URL, for a server in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def gunicorn(*args: str, **environment: str) -> subprocess.Popen:
    unset = ("DEBUG", "MANAGEMENT_COMMAND", "DJANGO_ALLOW_ASYNC_UNSAFE", "GUNICORN_CMD_ARGS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and configuration
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *args],
        cwd=settings.BASE_DIR,
        env=env | {"SECRET_KEY": "a-production-secret"} | environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def get(url: str, deadline: float) -> tuple[int, dict]:
    """The status and JSON of the page, retried while the server is still starting."""
    request = urllib.request.Request(  # noqa: S310 - a local http URL
        url, headers={"Referer": "http://127.0.0.1/participants/?q=Amelia+Patel"}
    )
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_config_takes_workers_threads_and_timeouts_from_the_environment():
    server = gunicorn(
        "--print-config", GUNICORN_WORKERS="3", GUNICORN_THREADS="8", GUNICORN_TIMEOUT="45"
    )
    out, err = server.communicate(timeout=60)

    shown = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in out.splitlines())
    )
    assert server.returncode == 0, err
    assert {
        name: shown[name]
        for name in (
            "worker_class",
            "workers",
            "threads",
            "timeout",
            "graceful_timeout",
            "keepalive",
            "max_requests",
            "max_requests_jitter",
            "preload_app",
            "accesslog",
            "wsgi_app",
        )
    } == {
        "worker_class": "gthread",
        "workers": "3",
        "threads": "8",
        "timeout": "45",
        "graceful_timeout": "30",
        "keepalive": "5",
        "max_requests": "1000",
        "max_requests_jitter": "100",
        "preload_app": "True",
        "accesslog": "-",
        "wsgi_app": "tracker_site.wsgi:application",
    }


def test_config_gives_one_worker_per_core_and_one_more_by_default():
    server = gunicorn("--print-config")
    out, _ = server.communicate(timeout=60)

    workers = [
        line.split("=")[1].strip() for line in out.splitlines() if line.startswith("workers ")
    ]
    assert workers == [str((os.cpu_count() or 1) + 1)]


def test_gunicorn_serves_the_health_check_and_logs_no_query_string():
    port = free_port()
    server = gunicorn(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        DATABASE_URL=url_of_the_test_database(),
    )
    try:
        status, body = get(f"http://127.0.0.1:{port}/health/?q=Amelia+Patel", time.monotonic() + 60)
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)

    assert (status, body) == (200, {"status": "ok"})
    assert server.returncode == 0, err
    access = [line for line in out.splitlines() if "/health/" in line]
    assert len(access) == 1
    assert '"GET /health/ HTTP/1.1" 200 ' in access[0]
    assert "Amelia" not in out + err
    assert "Booting worker" in err
    assert "Shutting down: Master" in err

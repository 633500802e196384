"""Playwright in Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from tests.workers import BACKENDS, Workers

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Assertions wait up to 15 s, not Playwright's 5: CI's two cores also run the other test
# worker, and a page that renders in 200 ms alone can take seconds then. A passing
# assertion returns as soon as it holds, so this costs nothing when all is well.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps a connection per context, and the event loop is a new one: the
    # connection opened before it would stay open, unused, to the end of the session,
    # and PostgreSQL would then refuse to drop the test database ("being accessed by
    # other users"). So each side's connections are closed as the loop starts and ends.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings):
    """The live server speaks plain HTTP, where a __Host- cookie without Secure is
    refused: cookies as in development."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser page; fails the test on any script error or CSP violation.

    JavaScript is on unless the test parametrizes ``page`` indirectly with False.
    Responses with an error status are left to the tests: some ask for a 404 on purpose.
    """
    javascript = getattr(request, "param", True)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def demo_db_worker(settings, tmp_path):
    """The demo data, and a real worker of the database backend (``manage.py db_worker``,
    a subprocess on the live server's database) running the jobs the pages start."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": BACKENDS["database"]}
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    workers = Workers("database", tmp_path)
    workers.start()
    yield
    workers.stop_all()

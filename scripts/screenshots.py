"""``make screenshots``: the main pages and dialogs, as each role sees them, at desktop and
phone widths, written to ``screenshots/`` (git-ignored) to look at before a change lands.

Runs the development server on a throwaway SQLite database with the demo data, and
Debian's Chromium through Playwright, as the browser tests do.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
WIDTHS = {"desktop": 1280, "phone": 375}
# username: [(name, path or an action on the page)]
PAGES = {
    "admin": [
        ("participants", "/participants/?q=a"),
        ("profile", "/participants/1/"),
        ("trackers", "/participants/1/trackers/"),
        ("tracker", "/participants/1/trackers/1/"),
        ("create-tracker", "/participants/1/trackers/new/"),
        ("employer-suggestions", lambda page: page.get_by_role("combobox", name="Organisation").fill("a")),
        ("create-tracker-errors", lambda page: page.get_by_role("button", name="Create", exact=True).click()),
        ("organisation-dialog", lambda page: page.get_by_role("button", name="Add a new organisation").click()),
        ("organisation-dialog-errors", lambda page: page.get_by_role("button", name="Add organisation").click()),
        ("tracker-add-evidence", lambda page: (page.goto("/participants/1/trackers/1/"), page.get_by_role("link", name="Add evidence").click())),
        ("organisations", "/organisations/"),
        ("organisation", "/organisations/1/"),
    ],
    "compliance": [
        ("review-queue", "/reviews/"),
        ("review-page", lambda page: page.locator("#queue-results tbody a").first.click()),
    ],
    "supervisor": [
        ("milestones", "/milestones/"),
        ("forecast", "/milestones/forecast/"),
        ("programme-builder", "/milestones/programmes/1/"),
        ("caseloads", "/reviews/caseload/"),
        ("ready-to-claim", "/reviews/ready-to-claim/"),
        ("qa-samples", "/reviews/samples/"),
    ],
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict, port: int) -> subprocess.Popen:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The development server did not start.")


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("tracker-demo")
    page.get_by_role("button", name="Sign in").click()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DEBUG": "1",
            "SECRET_KEY": "screenshots-only",
        }
        port = free_port()
        server = serve(env, port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for width_name, width in WIDTHS.items():
                    for username, pages in PAGES.items():
                        context = browser.new_context(
                            base_url=f"http://127.0.0.1:{port}",
                            viewport={"width": width, "height": 900},
                        )
                        page = context.new_page()
                        sign_in(page, username)
                        for name, where in pages:
                            if callable(where):
                                where(page)
                                page.wait_for_load_state("networkidle")
                            else:
                                page.goto(where)
                            path = OUT / f"{name}-{width_name}.png"
                            page.screenshot(path=path, full_page=True)
                            print(path.relative_to(ROOT))
                        context.close()
                browser.close()
        finally:
            server.terminate()


if __name__ == "__main__":
    main()

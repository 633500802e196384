"""One spelling of every htmx event name: the pages and site.js listen for exactly the
names the views send (common.htmx.Event)."""

import re

from django.conf import settings

from common.htmx import Event

LISTENED_IN_TEMPLATES = re.compile(r'hx-trigger="[^"]*?(\w+) from:body')
LISTENED_IN_SCRIPT = re.compile(r'addEventListener\("(\w+)"')
BROWSER_EVENTS = {"keydown", "click", "toggle", "DOMContentLoaded", "close", "submit"}


def listened() -> set[str]:
    names = set()
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        names |= set(LISTENED_IN_TEMPLATES.findall(path.read_text()))
    script = (settings.BASE_DIR / "static" / "js" / "site.js").read_text()
    names |= set(LISTENED_IN_SCRIPT.findall(script)) - BROWSER_EVENTS
    return {name for name in names if not name.startswith("htmx:")}


def test_pages_listen_for_exactly_the_events_the_views_send():
    assert listened() == {str(event) for event in Event}

"""Following a list's Previous and Next links as a browser without JavaScript would."""

import html
import re


def page_link(response, rel: str) -> str | None:
    """The query string (``?…``) of the page's ``rel="next"`` or ``rel="prev"`` link."""
    found = re.search(rf'<a rel="{rel}" href="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None

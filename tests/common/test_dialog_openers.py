"""Every link or button that opens a dialog fills it (innerHTML), whatever region it sits
in: one inside a region that swaps itself whole (outerHTML) would otherwise inherit that
and replace the dialog's content element, leaving the dialog dead."""

import re

from django.conf import settings

OPENER = re.compile(r"<(?:a|button)\b[^>]*\bdata-opens-dialog\b[^>]*>", re.S)


def test_every_dialog_opener_swaps_the_dialog_content_inside():
    openers = [
        (path.name, tag)
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for tag in OPENER.findall(path.read_text())
    ]

    assert len(openers) >= 7
    assert [
        name for name, tag in openers
        if 'hx-target="#dialog-content"' not in tag or 'hx-swap="innerHTML"' not in tag
    ] == []  # fmt: skip

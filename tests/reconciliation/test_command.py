"""``manage.py import_dwp_notifications``: previews by default, applies with --apply."""

import pytest
from django.core.management import CommandError, call_command

from reconciliation.models import DwpNotification, NotificationImport
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_dwp_notifications", *args, stdout=out)
    return out.getvalue()


def test_previews_then_applies(tmp_path, supervisor):
    world = build_world()
    participant_with_milestones(world, po_number="PO1")
    path = tmp_path / "rte.csv"
    path.write_bytes(notification_csv(notification(po_number="PO1"), notification(po_number="PO9")))

    preview = run(str(path), "--user", "supervisor")
    assert DwpNotification.objects.count() == 0
    assert "previewed, nothing applied: matched, new 1," in preview
    assert "Line 3: Unmatched – No participant has this PO number." in preview

    applied = run(str(path), "--user", "supervisor", "--apply")
    assert "applied: matched, new 1," in applied
    assert DwpNotification.objects.count() == 1
    assert NotificationImport.objects.filter(status="applied").count() == 1


def test_refuses_what_it_cannot_do(tmp_path, supervisor, administrator):
    build_world()
    path = tmp_path / "rte.pdf"
    path.write_bytes(b"%PDF")

    with pytest.raises(CommandError, match="does not have permission"):
        run(str(path), "--user", "admin")
    with pytest.raises(CommandError, match="must be a CSV file"):
        run(str(path), "--user", "supervisor")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--user", "supervisor")
    with pytest.raises(CommandError, match="no column mapping called Other"):
        run(str(path), "--user", "supervisor", "--mapping", "Other")
    assert NotificationImport.objects.count() == 0

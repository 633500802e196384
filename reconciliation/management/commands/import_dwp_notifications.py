"""``manage.py import_dwp_notifications FILE --user USERNAME [--mapping NAME] [--apply]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reconciliation.files import FileRefused
from reconciliation.models import ColumnMapping, ImportedRow
from reconciliation.services import (
    ImportRefused,
    apply_import,
    preview_file,
    standard_mapping,
)

PERMISSION = "reconciliation.import_notifications"


def _printable(text: str) -> str:
    """The text with control characters replaced, so a file cannot drive the terminal."""
    return "".join(char if char.isprintable() else "?" for char in str(text))


class Command(BaseCommand):
    help = (
        "Import a DWP notification file (PRaP RTE; CSV or .xlsx) as the given Supervisor: "
        "each row is matched and reported; with --apply every matched row is applied, in "
        "one transaction. Without --apply nothing changes (the preview is kept, as on the "
        "import page, and can be confirmed there). No limit on the file's size."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--user", required=True, help="Username of the Supervisor.")
        parser.add_argument(
            "--mapping", help="The column mapping's name (default: the Standard mapping)."
        )
        parser.add_argument("--apply", action="store_true", help="Apply the matched rows.")

    def handle(self, *args, file: Path, user: str, mapping: str | None, apply: bool, **options):
        importer = get_user_model().objects.filter(username=user, is_active=True).first()
        if importer is None:
            raise CommandError(f"There is no active member of staff with the username {user}.")
        if not importer.has_perm(PERMISSION):
            raise CommandError(f"{user} does not have permission to import DWP notifications.")
        if mapping:
            column_mapping = ColumnMapping.objects.filter(name=mapping).first()
            if column_mapping is None:
                raise CommandError(f"There is no column mapping called {mapping}.")
        else:
            column_mapping = standard_mapping()
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            notification_import = preview_file(
                data=data,
                file_name=file.name,
                mapping=column_mapping,
                uploaded_by=importer,
                max_rows=None,
            )
        except FileRefused as refusal:
            raise CommandError(f"{_printable(file)}: {refusal}") from refusal
        if notification_import.ignored_columns:
            columns = ", ".join(map(_printable, notification_import.ignored_columns))
            self.stdout.write(f"Columns not used: {columns}.")
        if apply:
            try:
                notification_import = apply_import(notification_import, applied_by=importer)
            except ImportRefused as refusal:
                raise CommandError(str(refusal)) from refusal
        for row in notification_import.rows.exclude(
            state__in=[ImportedRow.State.MATCHED_NEW, ImportedRow.State.MATCHED_UPDATED]
        ).exclude(message=""):
            label = ImportedRow.State(row.state).label
            self.stdout.write(f"Line {row.line}: {label} – {_printable(row.message)}")
        counts = ", ".join(
            f"{state.label.lower()} {notification_import.count(state):,}"
            for state in ImportedRow.State
        )
        verb = "applied" if apply else "previewed, nothing applied"
        self.stdout.write(self.style.SUCCESS(f"Import {notification_import.pk} {verb}: {counts}."))

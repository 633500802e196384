"""``manage.py import_participants FILE.csv --user USERNAME [--dry-run]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from participants.imports import (
    ImportPreview,
    ImportRefused,
    decode_csv,
    import_participants,
    preview_import,
    start_import,
)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _printable(text: str) -> str:
    """The text with control characters replaced, so a file cannot drive the terminal."""
    return "".join(char if char.isprintable() else "?" for char in text)


class Command(BaseCommand):
    help = (
        "Import participant referrals from a CSV file, as the given member of staff: every "
        "new row or none. Duplicates are reported and skipped; any row with errors stops "
        "the import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8, with a header row.")
        parser.add_argument(
            "--user",
            required=True,
            help="Username of the Supervisor importing it; their teams limit the rows.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and import nothing."
        )

    def handle(self, *args, file: Path, user: str, dry_run: bool, **options):
        importer = get_user_model().objects.filter(username=user, is_active=True).first()
        if importer is None:
            raise CommandError(f"There is no active member of staff with the username {user}.")
        if not importer.has_perm("participants.import_participants"):
            raise CommandError(f"{user} does not have permission to import participants.")
        self.stdout.write(f"Checking {_printable(str(file))} …")
        try:
            text = decode_csv(file.read_bytes())
            preview = preview_import(content=text, importer=importer)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ImportRefused as refusal:
            raise CommandError(f"{file}: {refusal}") from refusal

        self._report(preview)
        if preview.error_count:
            raise CommandError(
                f"Nothing was imported: {_count(preview.error_count, 'row')} with errors."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was imported.")
            return

        try:
            with transaction.atomic():
                participant_import = start_import(
                    file_name=file.name, content=text, uploaded_by=importer
                )
                import_participants(
                    participant_import=participant_import,
                    imported_by=importer,
                    progress=self._progress,
                )
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {_count(participant_import.imported_count, 'participant')} imported, "
                f"{_count(preview.duplicate_count, 'duplicate')} skipped "
                f"(import {participant_import.pk})."
            )
        )

    def _report(self, preview: ImportPreview) -> None:
        for row in preview.problem_rows:
            reference = _printable(row.values["reference"]) or "no reference"
            if row.errors:
                problem = "error – " + "; ".join(map(_printable, row.error_messages))
            else:
                problem = f"duplicate – will be skipped: {_printable(row.duplicate)}"
            self.stdout.write(f"Line {row.line} ({reference}): {problem}")
        self.stdout.write(
            f"{_count(preview.total, 'row')}: {preview.new_count:,} to import, "
            f"{_count(preview.duplicate_count, 'duplicate')} to skip, "
            f"{preview.error_count:,} with errors."
        )

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"Imported {done:,} of {total:,} participants…")

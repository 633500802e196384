"""``manage.py import_addresses FILE.csv``: load an address file for the local address finder.

The file is reference data, and partial files are normal, so invalid rows are reported and
skipped rather than stopping the import; rows already present are skipped too. The file is
read as a stream, so a large file does not have to fit in memory, and written in one
transaction, so a file that turns out to be unreadable half-way leaves nothing behind.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisations.models import PostcodeAddress

BATCH_SIZE = 5000
MAX_REPORTED_ROWS = 20
COLUMNS = ("line_1", "line_2", "line_3", "town", "county", "postcode")
REQUIRED_COLUMNS = ("line_1", "town", "postcode")

Row = tuple[int, dict[str, str]]


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"


def _describe(error: ValidationError) -> str:
    """The first problem with each column: one clear reason is enough to fix a row."""
    return " ".join(f"{field} – {messages[0]}" for field, messages in error.message_dict.items())


def read_rows(stream: TextIO) -> Iterator[Row]:
    """The data rows as (first line number, {column: value}), after checking the header.

    Column names are matched case-insensitively ("Line 1" is ``line_1``); extra columns
    are ignored, missing optional ones are blank; blank rows are skipped.
    """
    reader = csv.reader(stream)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise CommandError("The file is empty.")
    columns = [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in header]
    repeated = sorted({name for name in columns if name in COLUMNS and columns.count(name) > 1})
    if repeated:
        raise CommandError(f"These columns appear more than once: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise CommandError(
            f"The file is missing the columns {', '.join(missing)}. The first row must name "
            f"the columns: {', '.join(COLUMNS)} (line_2, line_3 and county are optional)."
        )
    line = reader.line_num
    for cells in reader:
        first_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(columns, cells, strict=False))
        yield first_line, {name: values.get(name, "").strip() for name in COLUMNS}


class Command(BaseCommand):
    help = (
        "Import an address file (CSV, UTF-8, columns line_1, line_2, line_3, town, county, "
        "postcode) for the local address finder. Invalid rows and addresses already "
        "present are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8, with a header row.")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream, transaction.atomic():
                self._import(read_rows(stream))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except UnicodeDecodeError:
            raise CommandError(
                f"{file} is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
                "(comma delimited)” and try again. Nothing was imported."
            ) from None
        except csv.Error as error:
            raise CommandError(f"{file} is not a valid CSV file: {error}.") from error
        except CommandError as error:
            raise CommandError(f"{file}: {error}") from None

    def _import(self, rows: Iterable[Row]) -> None:
        before = PostcodeAddress.objects.count()
        batch: list[PostcodeAddress] = []
        valid_count = invalid_count = 0
        reported: list[str] = []
        for line, values in rows:
            address = PostcodeAddress(**values)
            try:
                # Also normalises the postcode.
                address.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                invalid_count += 1
                if len(reported) < MAX_REPORTED_ROWS:
                    reported.append(f"Line {line}: {_describe(error)}")
                continue
            valid_count += 1
            batch.append(address)
            if len(batch) == BATCH_SIZE:
                self._save(batch, valid_count)
                batch = []
        if batch:
            self._save(batch, valid_count)

        for problem in reported:
            self.stdout.write(problem)
        if invalid_count > MAX_REPORTED_ROWS:
            more = invalid_count - MAX_REPORTED_ROWS
            self.stdout.write(f"… and {_count(more, 'more invalid row', 'more invalid rows')}.")
        if not valid_count:
            if invalid_count:
                raise CommandError(
                    f"Nothing was imported: all {_count(invalid_count, 'row', 'rows')} are invalid."
                )
            raise CommandError("The file has a header row but no addresses under it.")
        added = PostcodeAddress.objects.count() - before
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {_count(added, 'address', 'addresses')} added, "
                f"{valid_count - added:,} already present, "
                f"{_count(invalid_count, 'invalid row', 'invalid rows')} skipped."
            )
        )

    def _save(self, batch: list[PostcodeAddress], done: int) -> None:
        PostcodeAddress.objects.bulk_create(batch, ignore_conflicts=True)
        self.stdout.write(f"Imported {_count(done, 'row', 'rows')} …")

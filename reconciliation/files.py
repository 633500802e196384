"""Reading a DWP notification file (CSV or .xlsx) into rows of text, and each row's cells
into values, through a contract's column mapping.

A file that cannot be read at all raises ``FileRefused`` with a message for the person
who uploaded it; a row that cannot be read gets its own messages. Nothing here touches
the database or knows about requests.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from common.spreadsheets import NotUtf8Text, utf8_text
from common.uk import NINO_RE, normalise_nino

# The web page refuses larger files (a job queue would take them); the command does not.
MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL_LENGTH = 500
# Columns past these are never read: no DWP export has so many.
MAX_COLUMNS = 100

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+)?$")


class FileRefused(Exception):
    """The file cannot be read; the message says why, for its uploader."""


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: Mapping[str, str]  # heading as in the file → cell text


@dataclass(frozen=True)
class RawFile:
    headings: tuple[str, ...]
    rows: tuple[RawRow, ...]


@dataclass
class ParsedRow:
    """What one row says, read through the mapping, and what could not be read."""

    line: int
    raw: Mapping[str, str]
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def normalise_heading(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", (text or "").strip().casefold())


def read_file(data: bytes, *, file_name: str, max_rows: int | None = MAX_ROWS) -> RawFile:
    """The file's headings and data rows, whichever of CSV or .xlsx it is (judged by its
    contents, not only its name). Blank rows are skipped."""
    name = file_name.casefold()
    if not data:
        raise FileRefused("The file is empty.")
    if data.startswith(OLE2_MAGIC) or name.endswith(".xls"):
        raise FileRefused(
            "This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) or as "
            "“CSV UTF-8 (comma delimited)” and try again."
        )
    if data.startswith(XLSX_MAGIC):
        if not name.endswith((".xlsx", ".xlsm")):
            raise FileRefused("The file is a ZIP archive; upload a .xlsx workbook or a .csv file.")
        rows = _xlsx_rows(data, max_rows=max_rows)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(_decode(data), max_rows=max_rows)
    elif name.endswith((".xlsx", ".xlsm")):
        raise FileRefused("The file is not a valid .xlsx workbook: it may be damaged.")
    else:
        raise FileRefused("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    return _with_headings(rows)


def _decode(data: bytes) -> str:
    try:
        return utf8_text(data, xlsx_too=True)
    except NotUtf8Text as refusal:
        raise FileRefused(str(refusal)) from None


class _Rows(list):
    """Rows as read, refusing the file as soon as it has more than ``max_rows`` data
    rows, so that a huge (or decompressed) file is never held whole in memory."""

    def __init__(self, max_rows: int | None):
        super().__init__()
        self.max_rows = max_rows
        self.filled = 0

    def add(self, line: int, cells: list[str]) -> None:
        cells = [cell.strip() for cell in cells[:MAX_COLUMNS]]
        if not any(cells):
            return
        self.filled += 1
        if self.max_rows is not None and self.filled > self.max_rows + 1:
            raise FileRefused(
                f"The file has more than {self.max_rows:,} rows; at most {self.max_rows:,} can "
                "be imported here. Split it, or use manage.py import_dwp_notifications."
            )
        self.append((line, cells))


def _csv_rows(text: str, *, max_rows: int | None) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = _Rows(max_rows)
    try:
        line = 0
        for cells in reader:
            first_line, line = line + 1, reader.line_num
            rows.add(first_line, cells)
    except csv.Error as error:
        raise FileRefused(
            f"The file is not a valid CSV file (line {reader.line_num}: {error})."
        ) from error
    return rows


def _xlsx_rows(data: bytes, *, max_rows: int | None) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as text, read in openpyxl's read-only (streaming) mode.
    A damaged workbook can fail in many ways inside openpyxl, all of them one message."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = _Rows(max_rows)
            for number, values in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
            ):
                rows.add(number, [_cell_text(value) for value in values])
        finally:
            workbook.close()
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise FileRefused("The file is not a valid .xlsx workbook: it may be damaged.") from error
    except IndexError as error:
        raise FileRefused("The workbook has no worksheets.") from error
    except Exception as error:
        raise FileRefused(
            "The workbook cannot be read: it may be damaged, or protected with a password."
        ) from error
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _with_headings(rows: list[tuple[int, list[str]]]) -> RawFile:
    if not rows:
        raise FileRefused("The file is empty.")
    (_, header), data = rows[0], rows[1:]
    headings = [cell[:100] for cell in header]
    seen: set[str] = set()
    for heading in headings:
        key = normalise_heading(heading)
        if key and key in seen:
            raise FileRefused(f"The column “{heading}” appears more than once.")
        seen.add(key)
    if not data:
        raise FileRefused("The file has a header row but no notifications under it.")
    return RawFile(
        headings=tuple(headings),
        rows=tuple(
            RawRow(
                line=line,
                cells={
                    heading: cell[:MAX_CELL_LENGTH]
                    for heading, cell in zip(headings, cells, strict=False)
                    if heading
                },
            )
            for line, cells in data
        ),
    )


# --- From cells to values ----------------------------------------------------------


REQUIRED = ("notification_type", "date_created", "notification_date")
KEYS = ("po_number", "nino")


def resolve_columns(
    headings: tuple[str, ...], mapping: Mapping[str, list[str]]
) -> tuple[dict[str, str], list[str]]:
    """Which heading of the file holds each field, and the headings the mapping does not
    know (reported, not refused: DWP adds columns). Raises ``FileRefused`` when a field
    every row needs has no column."""
    by_name = {normalise_heading(heading): heading for heading in headings if heading}
    columns = {}
    for field_name, names in mapping.items():
        for name in names:
            if normalise_heading(name) in by_name:
                columns[field_name] = by_name[normalise_heading(name)]
                break
    missing = [name for name in REQUIRED if name not in columns]
    if not any(key in columns for key in KEYS):
        missing.append("po_number or nino")
    if missing:
        wanted = "; ".join(
            f"{name} ({', '.join(mapping.get(name, [name]))})" if name in mapping else name
            for name in missing
        )
        raise FileRefused(
            f"The file has no column for: {wanted}. Its columns are: "
            f"{', '.join(h for h in headings if h) or 'none'}. Choose another column mapping, "
            "or ask a data-fix user to add these headings to it."
        )
    used = set(columns.values())
    unknown = [heading for heading in headings if heading and heading not in used]
    return columns, unknown


def parse_row(row: RawRow, columns: Mapping[str, str]) -> ParsedRow:
    """The row's values, each read by its field's rules; a value that cannot be read is
    left empty and explained in ``errors``."""
    parsed = ParsedRow(line=row.line, raw=row.cells)

    def cell(name: str) -> str:
        return row.cells.get(columns[name], "").strip() if name in columns else ""

    values = parsed.values
    values["po_number"] = re.sub(r"\s+", "", cell("po_number")).upper()[:50]
    nino = normalise_nino(cell("nino"))
    bad_nino = bool(nino) and not NINO_RE.match(nino)
    if bad_nino:
        parsed.errors.append(f"“{cell('nino')}” is not a National Insurance number.")
        nino = ""
    values["nino"] = nino
    values["surname"] = cell("surname")[:100]
    values["programme_name"] = cell("programme")[:200]
    values["notification_type"] = " ".join(cell("notification_type").split())[:100]
    values["payment_status"] = cell("payment_status")[:50]
    values["remittance_reference"] = cell("remittance_reference")[:100]
    for name, label in (
        ("date_of_birth", "date of birth"),
        ("date_created", "date created"),
        ("notification_date", "notification date"),
        ("paid_date", "paid date"),
    ):
        text = cell(name)
        values[name] = parse_date(text)
        if text and values[name] is None:
            parsed.errors.append(
                f"The {label} “{text}” is not a date (use 2025-03-31 or 31/03/2025)."
            )
    amount_text = cell("amount")
    values["amount"] = parse_amount(amount_text)
    if amount_text and values["amount"] is None:
        parsed.errors.append(f"The amount “{amount_text}” is not a sum of money.")

    if not values["po_number"] and not values["nino"] and not bad_nino:
        parsed.errors.append("The row has neither a PO number nor a National Insurance number.")
    if not values["notification_type"]:
        parsed.errors.append("The row has no notification type.")
    for name, label in (
        ("date_created", "date created"),
        ("notification_date", "notification date"),
    ):
        if not cell(name):
            parsed.errors.append(f"The row has no {label}.")
    return parsed


def parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    match = _ISO.match(text)
    try:
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        match = _DMY.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def parse_amount(text: str) -> Decimal | None:
    """“£1,234.50”, “1234.5” or “-250.00” (a debit) as pence-exact money."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    if not cleaned:
        return None
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or abs(amount) >= Decimal("100000000"):
        return None
    return amount.quantize(Decimal("0.01"))

"""CSV files that open safely in a spreadsheet: UTF-8 with a byte-order mark, so that
Excel reads the £ sign, and no cell a spreadsheet would run as a formula (OWASP)."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = "=+-@\t\r"


class NotUtf8Text(ValueError):
    """An upload that is not UTF-8 CSV text; the message says how to save it instead."""


def utf8_text(data: bytes, *, xlsx_too: bool = False) -> str:
    """The text of an uploaded CSV file, which must be UTF-8 (a byte-order mark is
    dropped); otherwise ``NotUtf8Text`` says how to save it (or as .xlsx, where the
    upload takes that too)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotUtf8Text(
            "The file is saved as UTF-16. Save it as “CSV UTF-8 (comma delimited)” and try again."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8Text(
            "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” or as "
            ".xlsx and try again."
            if xlsx_too
            else "The file is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
            "(comma delimited)” and try again."
        ) from None
    if "\x00" in text:
        raise NotUtf8Text("The file is not a CSV file: it contains binary data.")
    return text


def safe_cell(value) -> str:
    """The value as CSV text that no spreadsheet will treat as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in FORMULA_STARTS:
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV's lines, header first (after the byte-order mark), every cell made safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_download(
    file_name: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """The rows as a CSV file to download (``csv_lines``: every cell made safe), streamed
    as they are written."""
    return StreamingHttpResponse(
        csv_lines(header, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )

"""CSV files that open safely in a spreadsheet: UTF-8 with a byte-order mark, so that
Excel reads the £ sign, and no cell a spreadsheet would run as a formula (OWASP)."""

import csv
from collections.abc import Iterable, Iterator

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = "=+-@\t\r"


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

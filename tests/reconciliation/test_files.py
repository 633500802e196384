"""Reading notification files: CSV and .xlsx, and every way a file can be wrong."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from reconciliation.files import (
    FileRefused,
    parse_amount,
    parse_date,
    parse_row,
    read_file,
    resolve_columns,
)
from reconciliation.models import DEFAULT_COLUMNS
from tests.reconciliation.helpers import HEADINGS, notification, notification_csv


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_is_read_with_its_dates_and_numbers():
    data = xlsx(
        [
            ["PO Number", "Notification Type", "Date Created", "Notification", "Amount"],
            [
                "po 1",
                "£3,000 earnings",
                datetime.datetime(2025, 5, 10),
                datetime.date(2025, 5, 2),
                1000.0,
            ],
            [None, None, None, None, None],
        ]
    )

    raw = read_file(data, file_name="RTE.xlsx")
    columns, unknown = resolve_columns(raw.headings, DEFAULT_COLUMNS)
    (row,) = raw.rows
    parsed = parse_row(row, columns)

    assert unknown == []
    assert row.line == 2
    assert parsed.errors == []
    assert parsed.values | {} == parsed.values
    assert (parsed.values["po_number"], parsed.values["date_created"], parsed.values["amount"]) == (
        "PO1",
        datetime.date(2025, 5, 10),
        Decimal("1000.00"),
    )


def test_a_csv_names_its_columns_in_any_case_and_reports_unknown_ones():
    data = notification_csv(
        notification(po_number="PO1") | {"Extra": "x"}, headings=[*HEADINGS, "Extra"]
    ).replace(b"notification_type", b"Notification Type")

    raw = read_file(data, file_name="rte.csv")
    columns, unknown = resolve_columns(raw.headings, DEFAULT_COLUMNS)

    assert columns["notification_type"] == "Notification Type"
    assert unknown == ["Extra"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "rte.csv", "The file is empty."),
        (b"po_number\r\n", "rte.csv", "a header row but no notifications"),
        (b"%PDF-1.4 ...", "rte.pdf", "must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "rte.xls", "old Excel (.xls) file"),
        (b"PK\x03\x04garbage", "rte.xlsx", "not a valid .xlsx workbook"),
        (b"not a zip", "rte.xlsx", "not a valid .xlsx workbook"),
        (b"\xff\xfep\x00o\x00", "rte.csv", "UTF-16"),
        (b"\xe9t\xe9", "rte.csv", "not UTF-8"),
        (b"a,b\x00\r\n1,2", "rte.csv", "binary data"),
        (b'a\r\n"' + b"x" * 200_000, "rte.csv", "not a valid CSV file"),
        (b"po,po\r\n1,2\r\n", "rte.csv", "“po” appears more than once"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(data, name, message):
    with pytest.raises(FileRefused, match=re.escape(message)):
        read_file(data, file_name=name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")

    with pytest.raises(FileRefused, match="cannot be read"):
        read_file(out.getvalue(), file_name="rte.xlsx")
    with pytest.raises(FileRefused, match="ZIP archive"):
        read_file(out.getvalue(), file_name="rte.zip")


def test_too_many_rows_are_refused_on_the_page_but_not_by_the_command():
    data = notification_csv(*[notification(po_number=f"PO{n}") for n in range(4)])

    with pytest.raises(FileRefused, match="more than 3 rows; at most 3"):
        read_file(data, file_name="rte.csv", max_rows=3)
    assert len(read_file(data, file_name="rte.csv", max_rows=None).rows) == 4


def test_missing_columns_are_named_with_the_headings_looked_for():
    raw = read_file(b"surname,type\r\nSmith,x\r\n", file_name="rte.csv")

    with pytest.raises(FileRefused) as refusal:
        resolve_columns(raw.headings, DEFAULT_COLUMNS)

    assert "date_created (date_created, date created, date 1)" in str(refusal.value)
    assert "po_number or nino" in str(refusal.value)
    assert "Its columns are: surname, type" in str(refusal.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31", datetime.date(2025, 3, 31)),
        ("31/03/2025", datetime.date(2025, 3, 31)),
        ("1/4/2025", datetime.date(2025, 4, 1)),
        ("2025-03-31 00:00:00", datetime.date(2025, 3, 31)),
        ("31/02/2025", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234.5", Decimal("1234.50")),
        ("-250", Decimal("-250.00")),
        ("(250.00)", Decimal("-250.00")),
        ("NaN", None),
        ("1e309", None),
        ("abc", None),
        ("", None),
    ],
)
def test_amounts(text, expected):
    assert parse_amount(text) == expected


def test_a_workbook_with_too_many_rows_is_refused_while_it_is_read():
    data = xlsx([HEADINGS] + [["PO1"] + [""] * 5 + ["2025-05-10", "2025-05-02"]] * 5)

    with pytest.raises(FileRefused, match="more than 3 rows"):
        read_file(data, file_name="rte.xlsx", max_rows=3)


def test_columns_past_the_hundredth_are_not_read():
    data = xlsx([[f"c{n}" for n in range(150)], ["x"] * 150])

    raw = read_file(data, file_name="rte.xlsx")

    assert len(raw.headings) == 100

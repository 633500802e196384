import io

import pytest
from django.core.management import CommandError, call_command

from organisations.management.commands import import_addresses
from organisations.models import PostcodeAddress
from tests.factories import PostcodeAddressFactory

pytestmark = pytest.mark.django_db

HEADER = "line_1,line_2,line_3,town,county,postcode\n"


@pytest.fixture
def csv_path(tmp_path):
    def write(content: str | bytes):
        path = tmp_path / "addresses.csv"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


def run(path) -> list[str]:
    out = io.StringIO()
    call_command("import_addresses", str(path), stdout=out)
    return out.getvalue().splitlines()


def stored_addresses() -> list[tuple[str, ...]]:
    return list(
        PostcodeAddress.objects.order_by("postcode", "line_1").values_list(
            "line_1", "line_2", "line_3", "town", "county", "postcode"
        )
    )


def test_import_addresses_imports_the_file_showing_progress(csv_path, monkeypatch):
    monkeypatch.setattr(import_addresses, "BATCH_SIZE", 2)
    path = csv_path(
        HEADER
        + "1 Park Row,,,Leeds,West Yorkshire,ls14ap\n"
        + '"Unit 3, Tower Works",Globe Road,Holbeck,Leeds,,LS11 5QG\n'
        + "\n"
        + " 2 Park Row , , ,Leeds,,LS1  4AP\n"
    )

    output = run(path)

    assert output == [
        "Imported 2 rows …",
        "Imported 3 rows …",
        "Done: 3 addresses added, 0 already present, 0 invalid rows skipped.",
    ]
    assert stored_addresses() == [
        ("1 Park Row", "", "", "Leeds", "West Yorkshire", "LS1 4AP"),
        ("2 Park Row", "", "", "Leeds", "", "LS1 4AP"),
        ("Unit 3, Tower Works", "Globe Road", "Holbeck", "Leeds", "", "LS11 5QG"),
    ]


def test_import_addresses_again_adds_nothing(csv_path):
    PostcodeAddressFactory(line_1="1 Park Row", town="Leeds", postcode="LS1 4AP")
    path = csv_path(
        HEADER + "1 Park Row,,,Leeds,,LS1 4AP\n2 Park Row,,,Leeds,,LS1 4AP\n"
        "2 Park Row,,,Leeds,,LS1 4AP\n"
    )
    run(path)

    output = run(path)

    assert output == [
        "Imported 3 rows …",
        "Done: 0 addresses added, 3 already present, 0 invalid rows skipped.",
    ]
    assert stored_addresses() == [
        ("1 Park Row", "", "", "Leeds", "", "LS1 4AP"),
        ("2 Park Row", "", "", "Leeds", "", "LS1 4AP"),
    ]


def test_import_addresses_reads_a_byte_order_mark_and_any_case_headers(csv_path):
    path = csv_path("\ufeffPostcode,TOWN,Line 1,Notes\nLS1 4AP,Leeds,1 Park Row,ignored\n")

    output = run(path)

    assert output == [
        "Imported 1 row …",
        "Done: 1 address added, 0 already present, 0 invalid rows skipped.",
    ]
    assert stored_addresses() == [("1 Park Row", "", "", "Leeds", "", "LS1 4AP")]


def test_import_addresses_reports_and_skips_invalid_rows(csv_path):
    path = csv_path(
        HEADER
        + "1 Park Row,,,Leeds,,LS1 4AP\n"
        + "2 Park Row,,,Leeds,,not a postcode\n"
        + ",,,,,\n"
        + ",Somewhere,,,,LS1 4AP\n"
        + f"{'x' * 201},,,Leeds,,LS1 4AP\n"
    )

    output = run(path)

    assert output == [
        "Imported 1 row …",
        "Line 3: postcode – Enter a real UK postcode, like SW1A 1AA.",
        "Line 5: line_1 – This field cannot be blank. town – This field cannot be blank.",
        "Line 6: line_1 – Ensure this value has at most 200 characters (it has 201).",
        "Done: 1 address added, 0 already present, 3 invalid rows skipped.",
    ]
    assert stored_addresses() == [("1 Park Row", "", "", "Leeds", "", "LS1 4AP")]


def test_import_addresses_lists_only_the_first_20_invalid_rows(csv_path):
    path = csv_path(HEADER + "1 Park Row,,,Leeds,,LS1 4AP\n" + "No postcode,,,Leeds,,\n" * 23)

    output = run(path)

    assert output == [
        "Imported 1 row …",
        *(f"Line {line}: postcode – This field cannot be blank." for line in range(3, 23)),
        "… and 3 more invalid rows.",
        "Done: 1 address added, 0 already present, 23 invalid rows skipped.",
    ]


def test_import_addresses_with_every_row_invalid_fails(csv_path):
    path = csv_path(HEADER + "1 Park Row,,,Leeds,,nowhere\n2 Park Row,,,,,LS1 4AP\n")
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_addresses", str(path), stdout=out)

    assert str(raised.value) == f"{path}: Nothing was imported: all 2 rows are invalid."
    assert out.getvalue().splitlines() == [
        "Line 2: postcode – Enter a real UK postcode, like SW1A 1AA.",
        "Line 3: town – This field cannot be blank.",
    ]
    assert stored_addresses() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "{path}: The file is empty."),
        (b"\n\n", "{path}: The file is empty."),
        (
            HEADER.encode(),
            "{path}: The file has a header row but no addresses under it.",
        ),
        (
            b"line_1,line_2,postcode\n1 Park Row,,LS1 4AP\n",
            "{path}: The file is missing the columns town. The first row must name the "
            "columns: line_1, line_2, line_3, town, county, postcode (line_2, line_3 and "
            "county are optional).",
        ),
        (
            b"line_1,town,postcode,Town\n1 Park Row,Leeds,LS1 4AP,Leeds\n",
            "{path}: These columns appear more than once: town.",
        ),
        (
            HEADER.encode("utf-16"),
            "{path} is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
            "(comma delimited)” and try again. Nothing was imported.",
        ),
        (
            HEADER.encode()
            + "1 Park Row,,,Sheffield,,S1 2HH\n".encode("cp1252")
            + "2 Stra\u00dfe,,,Leeds,,LS1 4AP\n".encode("cp1252"),
            "{path} is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
            "(comma delimited)” and try again. Nothing was imported.",
        ),
    ],
)
def test_import_addresses_refuses_a_bad_file_and_writes_nothing(csv_path, content, message):
    path = csv_path(content)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert str(raised.value) == message.format(path=path)
    assert stored_addresses() == []


def test_import_addresses_that_fails_part_way_writes_nothing(csv_path, monkeypatch):
    monkeypatch.setattr(import_addresses, "BATCH_SIZE", 10)
    valid_rows = "".join(f"{number} Park Row,,,Leeds,,LS1 4AP\n" for number in range(1, 1001))
    path = csv_path(HEADER.encode() + valid_rows.encode() + b"1001 Stra\xdfe,,,Leeds,,LS1 4AP\n")

    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_addresses", str(path), stdout=out)

    assert str(raised.value).startswith(f"{path} is not UTF-8 text.")
    assert out.getvalue().splitlines()[:2] == ["Imported 10 rows …", "Imported 20 rows …"]
    assert stored_addresses() == []


def test_import_addresses_with_a_missing_file_fails(tmp_path):
    path = tmp_path / "missing.csv"

    with pytest.raises(CommandError) as raised:
        run(path)

    assert str(raised.value) == f"Cannot read {path}: No such file or directory."

"""common.spreadsheets: the text of an uploaded CSV file, and safe CSV downloads."""

import pytest

from common.spreadsheets import NotUtf8Text, csv_download, utf8_text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"name\r\nSe\xc3\xa1n\r\n", "name\r\nSeán\r\n"),
        (b"\xef\xbb\xbfname\r\n", "name\r\n"),  # Excel's byte-order mark dropped
        (b"", ""),
    ],
)
def test_utf8_text_reads_utf8_with_or_without_a_byte_order_mark(data, text):
    assert utf8_text(data) == text


@pytest.mark.parametrize(
    ("data", "xlsx_too", "message"),
    [
        ("name".encode("utf-16"), False, "The file is saved as UTF-16. Save it as “CSV UTF-8"),
        (b"S\xe9an", False, "The file is not UTF-8 text. If it is a spreadsheet, save it as"),
        (b"S\xe9an", True, "“CSV UTF-8 (comma delimited)” or as .xlsx and try again."),
        (b"PK\x03\x04\x00\x00", False, "The file is not a CSV file: it contains binary data."),
    ],
)
def test_utf8_text_says_how_to_save_anything_else(data, xlsx_too, message):
    with pytest.raises(NotUtf8Text) as refused:
        utf8_text(data, xlsx_too=xlsx_too)

    assert message in str(refused.value)


def test_csv_download_streams_a_safe_attachment():
    response = csv_download("worklist.csv", ["name", "amount"], [["=HYPERLINK()", 5]])

    assert response["Content-Disposition"] == 'attachment; filename="worklist.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(response.streaming_content).decode() == (
        "\ufeffname,amount\r\n'=HYPERLINK(),5\r\n"
    )

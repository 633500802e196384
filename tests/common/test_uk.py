import pytest
from django.core.exceptions import ValidationError

from common.uk import (
    format_nino,
    normalise_nino,
    normalise_postcode,
    validate_nino,
    validate_postcode,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("  m1   1ae ", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
        ("b338th", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("dn551pt", "DN55 1PT"),
        ("w1a0ax", "W1A 0AX"),
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_validate_postcode_accepts_and_normalises_real_formats(typed, stored):
    validate_postcode(typed)

    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "SW1A", "QW1 1AA", "SW1A 1AAA", "12345", "SW1A 1CA", "AJ1 1AA", "<b>"]
)
def test_validate_postcode_refuses_impossible_postcodes(typed):
    with pytest.raises(ValidationError):
        validate_postcode(typed)


@pytest.mark.parametrize("typed", ["AB123456C", "ab 12 34 56 c", "AB 123456 D", "ce000000a"])
def test_validate_nino_accepts_valid_numbers(typed):
    assert validate_nino(typed) is None  # no ValidationError


@pytest.mark.parametrize(
    "typed",
    ["", "QQ123456", "QQ123456E", "DA123456A", "AO123456A", "GB123456A", "ZZ123456A",
     "TN123456A", "QQ12345C", "QQ1234567C", "123456789"],
)  # fmt: skip
def test_validate_nino_refuses_invalid_numbers(typed):
    with pytest.raises(ValidationError):
        validate_nino(typed)


def test_nino_is_stored_compact_and_shown_grouped():
    assert normalise_nino(" ab 12 34 56 c ") == "AB123456C"
    assert format_nino("AB123456C") == "AB 12 34 56 C"

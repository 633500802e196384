from decimal import Decimal

import pytest

from common.templatetags.tracker import money


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("22857.1200000000"), "£22,857.12"),
        (Decimal("5079.36"), "£5,079.36"),
        (Decimal("12.2"), "£12.20"),
        (Decimal("0.005"), "£0.01"),
        (Decimal("1234567.891"), "£1,234,567.89"),
        (Decimal("-5"), "−£5.00"),
        (12, "£12.00"),
        ("3.5", "£3.50"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_money_shows_pounds_to_the_penny_with_thousands_separators(value, shown):
    assert money(value) == shown

import pytest

from common.forms import MAX_ID, id_or_none


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (42, 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("4 2", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_id_or_none_takes_only_ids_a_database_can_look_up(value, expected):
    assert id_or_none(value) == expected

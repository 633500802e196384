import pytest

from participants.models import Team
from reviews.sampling_forms import SampleDrawForm, SampleResultForm

pytestmark = pytest.mark.django_db

PERCENT_RANGE = "Enter a percentage more than 0 and no more than 100."
SEED_RANGE = "Enter a seed from 0 to 9,223,372,036,854,775,807."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("percent", "", PERCENT_RANGE),
        ("percent", "ten", PERCENT_RANGE),
        ("percent", "0", PERCENT_RANGE),
        ("percent", "100.01", PERCENT_RANGE),
        ("percent", "12.345", "Enter the percentage to no more than 2 decimal places."),
        ("seed", "lucky", "Enter the seed as a whole number, like 42."),
        ("seed", "-1", SEED_RANGE),
        ("seed", str(2**63), SEED_RANGE),
        ("team", "999999", "Choose a team from the list."),
        ("programme", "999999", "Choose a programme from the list."),
    ],
)
def test_sample_draw_form_says_what_to_enter(north, field, value, message):
    data = {"percent": "10"} | {field: value}

    form = SampleDrawForm(data, teams=Team.objects.filter(pk=north.pk))

    assert form.errors[field] == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("result", "", "Choose Passed or Failed."),
        ("result", "skipped", "Choose Passed or Failed."),
        ("note", "n" * 2001, "Note must be 2000 characters or fewer."),
    ],
)
def test_sample_result_form_says_what_to_enter(field, value, message):
    data = {"result": "passed"} | {field: value}

    form = SampleResultForm(data)

    assert form.errors[field] == [message]

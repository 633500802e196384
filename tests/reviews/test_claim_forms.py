import pytest

from participants.models import Team
from reviews.claim_forms import ClaimFilterForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("programme", "999999", "Choose a programme from the list."),
        ("team", "999999", "Choose a team from the list."),
    ],
)
def test_claim_filter_form_says_what_a_link_got_wrong(north, field, value, message):
    form = ClaimFilterForm({field: value}, teams=Team.objects.filter(pk=north.pk))

    assert form.errors[field] == [message]


def test_claim_filter_form_team_outside_the_users_teams_is_not_a_choice(north, south):
    form = ClaimFilterForm({"team": str(south.pk)}, teams=Team.objects.filter(pk=north.pk))

    assert form.errors["team"] == ["Choose a team from the list."]

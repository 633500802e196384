import pytest

from participants.forms import ParticipantForm, ParticipantSearchForm
from tests.factories import ParticipantFactory, TeamFactory
from tests.participants.helpers import participant_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reference", "", "Enter the reference."),
        ("reference", "R" * 31, "Reference must be 30 characters or fewer."),
        ("first_name", "", "Enter the first name."),
        ("first_name", "M" * 101, "First name must be 100 characters or fewer."),
        ("last_name", "", "Enter the last name."),
        ("last_name", "O" * 101, "Last name must be 100 characters or fewer."),
        ("date_of_birth", "", "Enter the date of birth."),
        ("postcode", "", "Enter the postcode."),
        (
            "email",
            "mj.example.org",
            "Enter an email address in the correct format, like name@example.com.",
        ),
        (
            "email",
            f"{'m' * 64}@{'e' * 63}.{'e' * 63}.{'e' * 63}.org",
            "Email address must be 254 characters or fewer.",
        ),
        ("phone", "123", "Enter a phone number in the correct format, like 07912 345678."),
        ("programme", "", "Choose a programme."),
        ("programme", "999999", "Choose a programme from the list."),
        ("programme_start_date", "", "Enter the programme start date."),
        ("team", "", "Choose the team."),
        ("adviser", "999999", "Choose an adviser from the list."),
    ],
)
def test_participant_form_says_what_to_enter(
    administrator, programme, north, field, value, message
):
    data = participant_data(programme, north) | {field: value}

    form = ParticipantForm(data, user=administrator)

    assert form.errors[field] == [message]


def test_participant_form_team_outside_the_users_teams_is_not_a_choice(administrator, programme):
    south = TeamFactory(name="South")

    form = ParticipantForm(participant_data(programme, south), user=administrator)

    assert form.errors["team"] == ["Choose a team from the list."]


def test_participant_form_refuses_another_participants_reference(administrator, programme, north):
    ParticipantFactory(reference="RS-1001")

    form = ParticipantForm(participant_data(programme, north), user=administrator)

    assert form.errors["reference"] == ["Another participant already has this reference."]


def test_participant_form_too_long_nino_says_its_format_and_length(administrator, programme, north):
    data = participant_data(programme, north, nino="AB 12 34 56 C 7")

    form = ParticipantForm(data, user=administrator)

    assert form.errors["nino"] == [
        "Enter a National Insurance number in the correct format, like AB 12 34 56 C.",
        "National Insurance number must be 9 characters or fewer.",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q", "x" * 201, "Search must be 200 characters or fewer."),
        ("team", "999999", "Choose a team from the list."),
        ("programme", "999999", "Choose a programme from the list."),
        ("adviser", "999999", "Choose an adviser from the list."),
    ],
)
def test_participant_search_form_says_what_a_link_got_wrong(administrator, field, value, message):
    form = ParticipantSearchForm({field: value}, user=administrator)

    assert form.errors[field] == [message]

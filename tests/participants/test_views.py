import datetime

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from common.pagination import encode_cursor
from participants.models import Participant
from tests.common.paging import page_link
from tests.factories import ParticipantFactory, ProgrammeFactory, UserFactory
from tests.participants.helpers import participant_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse("participants:list")


def detail_url(participant):
    return reverse("participants:detail", args=[participant.pk])


def references(response) -> list[str]:
    return [p.reference for p in response.context["page"].rows]


def test_participant_list_shows_only_own_teams(administrator_client, north, south):
    ParticipantFactory(reference="N1", team=north)
    ParticipantFactory(reference="SOUTH-1", team=south)

    response = administrator_client.get(LIST_URL)

    assert references(response) == ["N1"]
    assert b"SOUTH-1" not in response.content


def test_participant_list_shows_every_team_to_supervisor(client, supervisor, north, south):
    ParticipantFactory(reference="N1", team=north, last_name="Adams")
    ParticipantFactory(reference="SOUTH-1", team=south, last_name="Brown")
    client.force_login(supervisor)

    response = client.get(LIST_URL)

    assert references(response) == ["N1", "SOUTH-1"]


def test_participant_list_anonymous_redirects_to_sign_in(client):
    response = client.get(LIST_URL + "?q=smith")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/participants/%3Fq%3Dsmith"


def test_participant_list_htmx_returns_only_the_results_fragment(administrator_client, north):
    ParticipantFactory(reference="N1", team=north)

    response = administrator_client.get(LIST_URL, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="participant-results"')
    assert "<html" not in body
    assert "N1" in body


def test_participant_list_says_how_many_it_found(administrator_client, north, settings):
    settings.PAGE_SIZE = 2
    ParticipantFactory.create_batch(3, team=north, last_name="Okafor")
    ParticipantFactory(team=north, last_name="Nowak")

    response = administrator_client.get(LIST_URL, {"q": "okafor"}, headers={"HX-Request": "true"})

    assert len(references(response)) == 2
    assert '<p class="results-count" data-results-count>3 participants found</p>' in (
        response.content.decode()
    )


def test_participant_list_history_restore_returns_the_whole_page(administrator_client):
    response = administrator_client.get(
        LIST_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_list_query_count_is_constant(
    administrator_client, north, administrator, rows, django_assert_num_queries
):
    ParticipantFactory.create_batch(rows, team=north, adviser=administrator)

    # session, user, permissions (2), team ids, page rows, form choices (3), header teams
    with django_assert_num_queries(10):
        response = administrator_client.get(LIST_URL)

    assert len(response.context["page"].rows) == rows


def test_participant_list_filters_by_team_programme_and_adviser(client, supervisor, north, south):
    other_programme = ProgrammeFactory(name="Work and Health Programme")
    adviser = UserFactory(teams=[north])
    ParticipantFactory(reference="A", team=north, adviser=adviser)
    ParticipantFactory(reference="B", team=north, programme=other_programme)
    ParticipantFactory(reference="C", team=south)
    client.force_login(supervisor)

    by_team = client.get(LIST_URL, {"team": south.pk})
    by_programme = client.get(LIST_URL, {"programme": other_programme.pk})
    by_adviser = client.get(LIST_URL, {"adviser": adviser.pk})

    assert references(by_team) == ["C"]
    assert references(by_programme) == ["B"]
    assert references(by_adviser) == ["A"]


def test_participant_list_ignores_a_team_outside_the_users_teams(
    administrator_client, north, south
):
    ParticipantFactory(reference="N1", team=north)
    ParticipantFactory(reference="SOUTH-1", team=south)

    response = administrator_client.get(LIST_URL, {"team": south.pk})

    assert references(response) == ["N1"]
    assert response.context["form"].errors["team"]


def test_participant_list_pages_without_counting(administrator_client, north, settings):
    settings.PAGE_SIZE = 2
    for name in ["Adams", "Baker", "Clark"]:
        ParticipantFactory(last_name=name, reference=name.upper(), team=north)

    first = administrator_client.get(LIST_URL)
    second = administrator_client.get(LIST_URL + page_link(first, "next"))
    back = administrator_client.get(LIST_URL + page_link(second, "prev"))

    assert (references(first), first.context["page"].has_next) == (["ADAMS", "BAKER"], True)
    assert (references(second), second.context["page"].has_next) == (["CLARK"], False)
    assert (second.context["page"].number, page_link(second, "next")) == (2, None)
    assert (references(back), back.context["page"].number) == (["ADAMS", "BAKER"], 1)
    assert page_link(first, "next").startswith("?after=")


@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999999999999999999", "1.5", "2"])
def test_participant_list_old_page_numbers_are_the_first_page(administrator_client, north, page):
    ParticipantFactory(reference="N1", team=north)

    response = administrator_client.get(LIST_URL, {"page": page})

    assert (references(response), response.context["page"].number) == (["N1"], 1)


def test_participant_list_post_adds_nobody_and_answers_with_the_search_url(
    administrator_client, north
):
    response = administrator_client.post(LIST_URL, participant_data(ProgrammeFactory(), north))

    programme = Participant._meta.get_field("programme").related_model.objects.get()
    assert response["Location"] == f"{LIST_URL}?team={north.pk}&programme={programme.pk}"
    assert Participant.objects.count() == 0


def test_participant_list_rejects_put(administrator_client):
    response = administrator_client.put(LIST_URL)

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")


def test_participant_list_rows_have_a_menu_leading_to_the_profile(administrator_client, north):
    participant = ParticipantFactory(team=north)

    response = administrator_client.get(LIST_URL)

    assert f'href="{detail_url(participant)}">Profile</a>' in response.content.decode()


def test_participant_detail_shows_the_participant(administrator_client, north):
    participant = ParticipantFactory(team=north, nino="AB123456C", first_name="Siân")

    response = administrator_client.get(detail_url(participant))

    assertTemplateUsed(response, "participants/participant_detail.html")
    body = response.content.decode()
    assert "Siân" in body
    assert "AB 12 34 56 C" in body
    assert "Participant menu" in body


def test_participant_detail_outside_users_teams_is_404(administrator_client, south):
    participant = ParticipantFactory(team=south, last_name="Hidden")

    response = administrator_client.get(detail_url(participant))

    assert response.status_code == 404
    assert b"Hidden" not in response.content


def test_participant_detail_anonymous_redirects_to_sign_in(client, north):
    participant = ParticipantFactory(team=north)

    response = client.get(detail_url(participant))

    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_detail_query_count_does_not_depend_on_other_rows(
    administrator_client, north, rows, django_assert_num_queries
):
    participants = ParticipantFactory.create_batch(rows, team=north)

    # session, user, permissions (2), team ids, the participant, the access log (is it
    # logged already? log it), header teams
    with django_assert_num_queries(9):
        administrator_client.get(detail_url(participants[0]))


def test_participant_detail_rejects_post(administrator_client, north):
    participant = ParticipantFactory(team=north)

    response = administrator_client.post(detail_url(participant), {"first_name": "Changed"})

    assert (response.status_code, response["Allow"]) == (405, "GET")
    participant.refresh_from_db()
    assert participant.first_name != "Changed"


def test_participant_create_saves_normalised_values_with_history(
    administrator_client, administrator, north
):
    programme = ProgrammeFactory()

    response = administrator_client.post(
        reverse("participants:create"), participant_data(programme, north)
    )

    participant = Participant.objects.get()
    assert response["Location"] == detail_url(participant)
    assert (participant.reference, participant.nino, participant.postcode) == (
        "RS-1001",
        "AB123456C",
        "LS1 4AP",
    )
    assert str(participant.phone) == "+44 7912 345678"
    assert participant.date_of_birth == datetime.date(1988, 2, 29)
    assert [h.history_user for h in participant.history.all()] == [administrator]


def test_participant_create_invalid_shows_errors_and_saves_nothing(administrator_client, north):
    programme = ProgrammeFactory()
    data = participant_data(
        programme, north, nino="QQ12345", postcode="ZZ99 9ZZZ", date_of_birth="2030-01-01"
    )

    response = administrator_client.post(reverse("participants:create"), data)

    assert Participant.objects.count() == 0
    assert set(response.context["form"].errors) == {"nino", "postcode", "date_of_birth"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="O&#x27;Connor"' in body


def test_participant_create_refuses_a_team_outside_the_users_teams(administrator_client, south):
    programme = ProgrammeFactory()

    response = administrator_client.post(
        reverse("participants:create"), participant_data(programme, south)
    )

    assert Participant.objects.count() == 0
    assert list(response.context["form"].errors) == ["team"]


def test_participant_create_refuses_a_duplicate_nino(administrator_client, north):
    programme = ProgrammeFactory()
    ParticipantFactory(nino="AB123456C", team=north)

    response = administrator_client.post(
        reverse("participants:create"), participant_data(programme, north)
    )

    assert Participant.objects.count() == 1
    assert list(response.context["form"].errors) == ["nino"]


@pytest.mark.parametrize(
    ("field", "held", "message"),
    [
        (
            "nino",
            {"nino": "AB123456C"},
            "Another participant already has this National Insurance number.",
        ),
        ("reference", {"reference": "RS-1001"}, "Another participant already has this reference."),
    ],
)
def test_a_duplicate_in_the_user_s_own_team_is_named(
    administrator_client, north, field, held, message
):
    programme = ProgrammeFactory()
    ParticipantFactory(team=north, **held)

    response = administrator_client.post(
        reverse("participants:create"), participant_data(programme, north)
    )

    assert response.context["form"].errors == {field: [message]}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "held", "message", "told"),
    [
        (
            "nino",
            {"nino": "AB123456C"},
            "This National Insurance number cannot be used. Check it; if it is right, ask a "
            "supervisor, who has been told.",
            "National Insurance number",
        ),
        (
            "reference",
            {"reference": "RS-1001"},
            "This reference cannot be used. Check it; if it is right, ask a supervisor, who "
            "has been told.",
            "reference",
        ),
    ],
)
def test_a_duplicate_in_another_team_is_refused_without_saying_it_exists(
    administrator_client, north, south, supervisor, django_capture_on_commit_callbacks,
    field, held, message, told,
):  # fmt: skip
    """Not an oracle for who is on the programme: the message is the same whether or not
    the value is held, bar "cannot be used"; the supervisors are told who tried."""
    supervisor.email = "fiona@example.org"
    supervisor.save()
    programme = ProgrammeFactory()
    hidden = ParticipantFactory(team=south, first_name="Hidden", **held)

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("participants:create"), participant_data(programme, north)
        )

    body = response.content.decode()
    assert response.context["form"].errors == {field: [message]}
    assert "already has" not in body
    assert "South" not in body.split("<main")[1] and "Hidden" not in body
    assert Participant.objects.count() == 1
    [email] = mail.outbox
    assert email.to == ["fiona@example.org"]
    assert told in email.subject
    assert hidden.reference in email.body and "South" in email.body


def test_participant_create_is_forbidden_to_compliance(client, compliance, north):
    client.force_login(compliance)
    programme = ProgrammeFactory()

    response = client.post(reverse("participants:create"), participant_data(programme, north))

    assert response.status_code == 403
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_list_page_after_a_cursor_query_count_is_constant(
    administrator_client, north, administrator, rows, settings, django_assert_num_queries
):
    settings.PAGE_SIZE = 3
    first = ParticipantFactory(team=north, last_name="Aaron")
    ParticipantFactory.create_batch(rows, team=north, adviser=administrator, last_name="Zed")
    cursor = encode_cursor(2, [first.last_name, first.first_name, first.pk])

    # as the first page, and the count (a page after another)
    with django_assert_num_queries(11):
        response = administrator_client.get(LIST_URL, {"after": cursor})

    assert [p.last_name for p in response.context["page"].rows] == ["Zed"] * rows


def test_participant_list_tampered_cursor_is_the_first_page_said_so(administrator_client, north):
    ParticipantFactory(reference="N1", team=north)

    response = administrator_client.get(LIST_URL, {"before": "eyJub3QiOiJ0aGlzIn0"})

    assert (references(response), response.context["page"].number) == (["N1"], 1)
    assert (
        "That page link could not be read, so this is the first page." in response.content.decode()
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_list_search_query_count_is_constant(
    administrator_client, north, rows, django_assert_num_queries
):
    ParticipantFactory.create_batch(rows, team=north, last_name="Patel", first_name="Amelia")
    ParticipantFactory(team=north, last_name="Patel", first_name="Oliver")

    # session, user, permissions (2), team ids, the matches (which count them), the
    # page sorted from them, form choices (3), header teams
    with django_assert_num_queries(11):
        response = administrator_client.get(LIST_URL, {"q": "patel amelia"})

    assert [(p.first_name, p.last_name) for p in response.context["page"].rows] == [
        ("Amelia", "Patel")
    ] * rows
    assert response.context["page"].found == rows

"""A NI number typed into the grid's search never goes in a URL (participants.searches):
not in a redirect, not in an htmx push URL, not in a page's links."""

import pytest
from django.urls import reverse

from participants.searches import holds_nino
from tests.common.paging import page_link
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("participants:list")
NINO = "AB123456C"


@pytest.fixture
def smith(north):
    return ParticipantFactory(
        reference="RS-0001", last_name="Smith", nino=NINO, postcode="SW1A 1AA", team=north
    )


def nino_free(text: str) -> bool:
    compact = text.replace("+", "").replace("%20", "").replace(" ", "").upper()
    return "123456" not in compact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AB123456C", True),
        ("ab 12 34 56 c", True),
        ("123456", True),
        ("AB123456", True),
        ("ab1234", True),
        ("rs4-000015", False),
        ("smith AB123456C", True),
        ("smith ab 12 34 56 c", True),
        ("smith 123456", True),
        ("smith", False),
        ("RS-0001", False),
        ("SW1A 1AA", False),
        ("AB12 3CD", False),
        ("", False),
    ],
)
def test_holds_nino_finds_ni_numbers_and_their_six_figures(text, expected):
    assert holds_nino(text) is expected


def test_participant_list_nino_search_redirects_to_a_token_url(administrator_client, smith):
    response = administrator_client.post(LIST_URL, {"q": "ab 12 34 56 c"}, follow=True)

    ((location, _),) = response.redirect_chain
    assert location.startswith(f"{LIST_URL}?search=")
    assert nino_free(location)
    assert [p.reference for p in response.context["page"].rows] == ["RS-0001"]
    assert response.context["form"]["q"].value() == "ab 12 34 56 c"


def test_participant_list_name_search_stays_readable_in_the_url(administrator_client, smith):
    response = administrator_client.post(LIST_URL, {"q": "smith"})

    assert response["Location"] == f"{LIST_URL}?q=smith"


def test_participant_list_htmx_nino_search_pushes_a_token_url(administrator_client, smith):
    response = administrator_client.post(LIST_URL, {"q": NINO}, headers={"HX-Request": "true"})

    assert response["HX-Push-Url"].startswith(f"{LIST_URL}?search=")
    assert nino_free(response["HX-Push-Url"])
    assert response.content.decode().lstrip().startswith('<section id="participant-results"')
    assert "RS-0001" in response.content.decode()


def test_participant_list_token_url_keeps_the_search_through_pages(
    administrator_client, north, settings
):
    settings.PAGE_SIZE = 1
    ParticipantFactory(reference="RS-1", nino="AB123456C", team=north)
    ParticipantFactory(reference="RS-2", nino="CE123456D", team=north)
    location = administrator_client.post(LIST_URL, {"q": "123456"})["Location"]
    first = administrator_client.get(location)

    second = administrator_client.get(LIST_URL + page_link(first, "next"))

    assert [p.reference for p in second.context["page"].rows] == ["RS-2"]
    assert second.context["query"] == location.split("?")[1]
    assert nino_free(second.content.decode().split("<main", 1)[0] + second.context["query"])


def test_participant_list_same_nino_search_reuses_its_token(administrator_client, smith):
    first = administrator_client.post(LIST_URL, {"q": NINO})["Location"]

    again = administrator_client.post(LIST_URL, {"q": NINO})["Location"]

    assert again == first


def test_participant_list_nino_in_a_get_url_is_moved_out_of_it(administrator_client, smith):
    response = administrator_client.get(LIST_URL, {"q": NINO, "team": smith.team_id})

    assert response["Location"].startswith(f"{LIST_URL}?team={smith.team_id}&search=")
    assert nino_free(response["Location"])


def test_participant_list_unknown_token_says_to_search_again(administrator_client, smith):
    response = administrator_client.get(LIST_URL, {"search": "not-held"})

    assert response.context["form"].errors == {
        "q": ["That search is no longer held. Search again."]
    }
    assert "Search: That search is no longer held. Search again." in " ".join(
        response.content.decode().split()
    )


def test_participant_list_token_of_another_session_finds_nothing_held(
    client, administrator_client, administrator, smith
):
    location = administrator_client.post(LIST_URL, {"q": NINO})["Location"]
    client.logout()
    client.force_login(administrator)

    response = client.get(location)

    assert response.context["form"].errors == {
        "q": ["That search is no longer held. Search again."]
    }


def test_participant_list_search_form_is_posted_with_a_csrf_token(administrator_client):
    page = administrator_client.get(LIST_URL).content.decode()

    assert f'method="post" action="{LIST_URL}"' in page
    assert f'hx-post="{LIST_URL}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_participant_list_nino_search_logs_no_url_with_it(administrator_client, smith, caplog):
    with caplog.at_level("DEBUG"):
        administrator_client.post(LIST_URL, {"q": NINO}, follow=True)

    assert all(nino_free(record.getMessage()) for record in caplog.records)

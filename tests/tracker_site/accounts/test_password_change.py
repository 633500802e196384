import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.tracker_site.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase 42"


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        reverse("accounts:password_change"),
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
        follow=True,
    )


def test_password_change_lets_the_user_sign_in_with_the_new_password(client, administrator):
    sign_in(client)

    response = change(client)

    assert "Your password has been changed." in response.content.decode()
    assert "Signed in as" in client.get("/participants/").content.decode()
    fresh = Client()
    signed_in = fresh.post("/accounts/login/", {"username": "admin", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/participants/"
    administrator.refresh_from_db()
    assert administrator.check_password(NEW_PASSWORD)


def test_password_change_ends_the_users_other_sessions(client, administrator):
    other = Client()
    sign_in(other)
    sign_in(client)

    change(client)

    assert other.get("/participants/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"old": ""}, "Enter your current password"),
        ({"old": "not it at all"}, "Your current password is not right. Enter it again."),
        ({"new": ""}, "Enter a new password"),
        ({"again": "something else entirely"}, "The new passwords do not match."),
        # No letters, so that no name the factory gives (Short, Horton…) makes the
        # similarity message, which comes first, the one shown.
        ({"new": "4%7#2"}, "This password is too short. It must contain at least 12 characters."),
        ({"new": "password1234"}, "This password is too common."),
    ],
)
def test_password_change_refuses_bad_input(client, administrator, fields, message):
    sign_in(client)

    response = change(client, **fields)

    assert message in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.check_password(PASSWORD)

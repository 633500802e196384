"""Sign-in attempts are limited per account as well as per account and address."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, password: str, address: str):
    return client.post(
        "/accounts/login/", {"username": "admin", "password": password}, REMOTE_ADDR=address
    )


def test_ten_failures_from_one_address_pause_that_account(client, administrator):
    for _ in range(10):
        attempt(client, "wrong", "10.0.0.1")

    response = attempt(client, PASSWORD, "10.0.0.1")

    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_ten_failures_spread_over_many_addresses_pause_the_account(client, administrator):
    for number in range(10):
        attempt(client, "wrong", f"10.0.0.{number + 1}")

    response = attempt(client, PASSWORD, "192.168.1.1")

    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_for_one_account_do_not_pause_another(client, administrator, supervisor):
    for number in range(10):
        attempt(client, "wrong", f"10.0.0.{number + 1}")

    response = client.post(
        "/accounts/login/", {"username": "supervisor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response["Location"] == "/participants/"


def test_nine_failures_then_the_right_password_signs_in(client, administrator):
    for number in range(9):
        attempt(client, "wrong", f"10.0.0.{number + 1}")

    response = attempt(client, PASSWORD, "10.0.0.1")

    assert response["Location"] == "/participants/"

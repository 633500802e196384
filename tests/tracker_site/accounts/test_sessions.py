"""A session ends after 30 minutes unused, and 12 hours after signing in."""

import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from common import middleware
from tests.tracker_site.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


@pytest.fixture
def clock(monkeypatch):
    """The session limits' clock, moved on by hand."""

    class Clock:
        now = time.time()

        def wait(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_session_ends_after_30_minutes_unused(client, administrator, clock):
    sign_in(client)

    clock.wait(31 * MINUTE)
    response = client.get("/participants/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[0][0] == "/accounts/login/?next=/participants/"
    assert "You were signed out because the tracker was not used for 30 minutes." in page
    assert "_auth_user_id" not in client.session


def test_session_ended_by_being_unused_sends_htmx_to_sign_in(client, administrator, clock):
    sign_in(client)

    clock.wait(31 * MINUTE)
    response = client.get("/participants/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/accounts/login/?next=/participants/"


def test_session_ends_12_hours_after_signing_in_however_busy(client, administrator, clock):
    sign_in(client)
    for _ in range(24):  # a page every 29 minutes: never idle
        clock.wait(29 * MINUTE)
        assert "Signed in as" in client.get("/participants/").content.decode()

    clock.wait(29 * MINUTE)
    response = client.get("/participants/", follow=True)

    page = response.content.decode()
    assert "You were signed out because you signed in more than 12 hours ago." in page
    assert "_auth_user_id" not in client.session


def test_session_used_within_29_minutes_carries_on(client, administrator, clock):
    sign_in(client)

    clock.wait(29 * MINUTE)
    client.get("/participants/")
    clock.wait(29 * MINUTE)
    response = client.get("/participants/")

    assert "Signed in as" in response.content.decode()


def test_signing_in_again_restarts_the_clock(client, administrator, clock):
    sign_in(client)
    clock.wait(31 * MINUTE)
    client.get("/participants/")

    sign_in(client)
    response = client.get("/participants/")

    assert "Signed in as" in response.content.decode()


def test_session_limits_are_the_asvs_ones(settings):
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 12 * HOUR
    assert reverse("login") == "/accounts/login/"

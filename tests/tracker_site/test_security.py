import logging

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participants.models import Participant
from tests.conftest import _SecretsInLogs
from tests.factories import PASSWORD, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "health"}


def app_urls(resolver=None, namespace="", arguments=()):
    """(name, path) for every URL of ours, with 1 for each argument."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        names = (*arguments, *pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from app_urls(pattern, ns, names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}{pattern.name}"
            yield name, reverse(name, kwargs=dict.fromkeys(names, 1))


PRIVATE_URLS = [url for name, url in app_urls() if name not in PUBLIC]


def test_app_urls_cover_the_grid_and_profile():
    assert {
        "/participants/",
        "/participants/1/",
        "/participants/1/trackers/new/",
        "/participants/1/trackers/1/documents/1/",
        "/organisations/new/",
    } <= set(PRIVATE_URLS)


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_every_private_url_sends_anonymous_users_to_sign_in(client, url):
    plain = client.get(url)
    htmx = client.get(url, headers={"HX-Request": "true"})

    assert plain.status_code == 302
    assert plain["Location"].startswith("/accounts/login/?next=")
    assert htmx["HX-Redirect"] == plain["Location"]


def test_health_check_is_public(client):
    response = client.get(reverse("health"))

    assert response.json() == {"status": "ok"}


def test_sign_in_with_a_wrong_password_says_so(client, administrator):
    response = client.post(reverse("login"), {"username": "admin", "password": "wrong"})

    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_right_password_opens_the_grid(client, administrator):
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})

    assert response["Location"] == reverse("participants:list")
    assert client.session["_auth_user_id"] == str(administrator.pk)


def test_sign_in_locks_after_ten_failures_for_that_user_and_address(client, administrator):
    UserFactory(username="colleague")
    for _ in range(10):
        client.post(reverse("login"), {"username": "admin", "password": "wrong"})

    locked = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    colleague = client.post(reverse("login"), {"username": "colleague", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert colleague["Location"] == reverse("participants:list")


def test_sign_in_failures_below_the_limit_do_not_lock(client, administrator):
    for _ in range(9):
        client.post(reverse("login"), {"username": "admin", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})

    assert response["Location"] == reverse("participants:list")


def test_sign_out_needs_post_and_ends_the_session(administrator_client):
    refused = administrator_client.get(reverse("logout"))
    still_in = administrator_client.get(reverse("participants:list"))

    administrator_client.post(reverse("logout"))

    response = administrator_client.get(reverse("participants:list"))
    assert (refused.status_code, still_in.status_code) == (405, 200)
    assert response["Location"] == f"{reverse('login')}?next={reverse('participants:list')}"


def test_pages_carry_a_strict_content_security_policy(administrator_client):
    response = administrator_client.get(reverse("participants:list"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/accounts/login/", "/participants/", "/health/"])
def test_every_response_turns_off_browser_features_no_page_uses(administrator_client, url):
    policy = administrator_client.get(url)["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_signed_in_pages_are_not_cached(administrator_client):
    response = administrator_client.get(reverse("participants:list"))

    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]


def test_templates_have_no_inline_script_or_style(settings):
    from pathlib import Path

    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for text in [path.read_text()]
        if "<script>" in text or " style=" in text or "<style" in text or " hx-on" in text
    ]

    assert offenders == []


def test_unsafe_requests_need_a_csrf_token(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)

    response = client.post(reverse("participants:create"), {"reference": "X"})

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert Participant.objects.count() == 0


def test_htmx_requests_send_the_csrf_token_from_the_body_header(administrator_client):
    response = administrator_client.get(reverse("participants:list"))

    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()


def test_admin_refuses_staff_without_admin_access(client, compliance):
    client.force_login(compliance)

    response = client.get("/admin/")

    assert response["Location"].startswith("/admin/login/")


def test_admin_gives_field_errors_for_bad_nino_and_postcode(client, north):
    datafix = UserFactory(username="datafix", role="Data fix", is_staff=True)
    client.force_login(datafix)
    programme = ProgrammeFactory()

    response = client.post(
        "/admin/participants/participant/add/",
        {
            "reference": "RS-9",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1990-01-01",
            "nino": "QQ12",
            "postcode": "NOT A POSTCODE",
            "programme": programme.pk,
            "programme_start_date": "2025-01-01",
            "team": north.pk,
        },
    )

    errors = response.context["adminform"].form.errors
    assert set(errors) == {"nino", "postcode"}


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("Searched for QQ123456C", True),
        ("Searched for qq 12 34 56 c", True),
        (f"Signed in with {PASSWORD}", True),
        ("Participant 4512 viewed", False),
        ("Tracker 123456 saved at 12:34:56", False),
    ],
)
def test_the_suites_log_guard_catches_ninos_and_passwords(line, caught):
    guard = _SecretsInLogs()

    guard.handle(logging.makeLogRecord({"msg": line, "levelno": logging.INFO}))

    assert bool(guard.found) is caught

"""Two-factor sign-in in Chromium, as a new member of staff meets it: the password, then
setting up an authenticator app from the QR code's key, the recovery codes, and next
time the code from the app; with JavaScript on and off."""

import base64

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.steps import sign_out
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(typed_key: str, later: int = 0) -> str:
    """What an authenticator app shows for the key typed into it by hand."""
    key = base64.b32decode(
        typed_key.replace(" ", "") + "=" * (-len(typed_key.replace(" ", "")) % 8)
    )
    return f"{totp(key, drift=later):06d}"


def password_step(page: Page, next_path: str = "") -> None:
    page.goto(f"/accounts/login/{next_path}")
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("page", [True, False], indirect=True, ids=["js", "no-js"])
def test_new_staff_set_up_the_app_and_sign_in_with_its_code(page: Page, settings):
    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="amira", first_name="Amira", role="Administrator", teams=[TeamFactory()])

    password_step(page, "?next=/organisations/")

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    qr_code = page.get_by_role("img", name="QR code holding the key")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.naturalWidth") > 100
    typed_key = page.get_by_test_id("typed-key").inner_text()
    page.get_by_label("Code from the app").fill(
        "000000" if code_from(typed_key) != "000000" else "111111"
    )
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_text("The code is not right.").first).to_be_visible()
    page.wait_for_timeout(1100)  # the throttle's wait after one wrong code
    page.get_by_label("Code from the app").fill(code_from(typed_key))
    page.get_by_role("button", name="Set up").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page.get_by_role("heading", name="Organisations")).to_be_visible()

    sign_out(page)
    password_step(page)
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    page.get_by_label("Code").fill(code_from(typed_key, later=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Participants")).to_be_visible()

    sign_out(page)
    password_step(page)
    page.get_by_text("I do not have my phone").click()
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code. You have 9 left")).to_be_visible()
    page.get_by_role("link", name="Amira").click()
    expect(page.get_by_text("You have 9 recovery codes left.")).to_be_visible()
    assert User.objects.get(username="amira").totpdevice_set.filter(confirmed=True).count() == 1


def test_htmx_request_after_the_session_ends_goes_to_sign_in(page: Page, settings):
    UserFactory(username="amira", role="Administrator", teams=[TeamFactory()])
    password_step(page)
    expect(page.get_by_role("heading", name="Participants")).to_be_visible()
    page.context.clear_cookies(name="sessionid")  # the session ends; the page stays open

    page.get_by_label("Search").fill("smith")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

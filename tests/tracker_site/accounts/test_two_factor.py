"""Two-factor sign-in: required for every page after the password, set up with a QR
code drawn here, a code from the app or a recovery code as the second step."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.tracker_site.accounts.conftest import code_for, sign_in
from tests.tracker_site.test_security import PRIVATE_URLS
from tracker_site.accounts import two_factor

pytestmark = pytest.mark.django_db

SECOND_STEP = {"/accounts/two-factor/", "/accounts/two-factor/set-up/"}


@pytest.mark.parametrize("url", sorted(set(PRIVATE_URLS) - SECOND_STEP - {"/accounts/logout/"}))
def test_every_private_url_waits_for_the_code_after_the_password(
    client, required, authenticator, url
):
    sign_in(client)

    plain = client.get(url)
    htmx = client.get(url, headers={"HX-Request": "true"})
    posted = client.post(url)

    expected = f"/accounts/two-factor/?next={url.replace('/', '%2F')}"
    assert plain["Location"] == expected
    assert htmx["HX-Redirect"] == expected
    assert posted["Location"] == expected


def test_admin_waits_for_the_code_after_the_password(client, required, administrator):
    administrator.is_staff = True
    administrator.save()
    sign_in(client)

    response = client.get("/admin/")

    assert response["Location"] == "/accounts/two-factor/set-up/?next=%2Fadmin%2F"


def test_sign_in_without_an_app_goes_to_set_up(client, required, administrator):
    response = sign_in(client)
    set_up = client.get(response["Location"], follow=True)

    page = set_up.content.decode()
    assert set_up.redirect_chain[-1][0] == "/accounts/two-factor/set-up/?next=%2Fparticipants%2F"
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    assert two_factor.typed_key(device) in page
    assert 'class="site-nav"' not in page


def test_set_up_page_keeps_its_key_when_reloaded(client, required, administrator):
    sign_in(client)

    first = client.get(reverse("accounts:two_factor_setup")).content.decode()
    second = client.get(reverse("accounts:two_factor_setup")).content.decode()

    key = two_factor.typed_key(TOTPDevice.objects.get(user=administrator))
    assert key in first
    assert key in second
    assert TOTPDevice.objects.filter(user=administrator).count() == 1


def test_qr_code_holds_the_apps_address(administrator):
    device = two_factor.pending_authenticator(administrator)

    assert device.config_url.startswith("otpauth://totp/Job%20outcome%20tracker%3Aadmin?")
    assert two_factor.qr_code_svg(device).startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code from your authenticator app"),
        ("12345", "Enter the 6 digits the app shows"),
        ("abcdef", "Enter the 6 digits the app shows"),
    ],
)
def test_set_up_refuses_a_code_that_is_not_six_digits(
    client, required, administrator, code, message
):
    sign_in(client)

    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})

    assert message in response.content.decode()
    assert not TOTPDevice.objects.filter(user=administrator, confirmed=True).exists()


def test_set_up_refuses_a_wrong_code(client, required, administrator):
    sign_in(client)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=administrator)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong})

    assert "The code is not right. Check the app shows this account" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/participants/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_set_up_with_the_right_code_shows_recovery_codes_and_lets_the_user_in(
    client, required, administrator
):
    sign_in(client)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=administrator)

    response = client.post(
        reverse("accounts:two_factor_setup"), {"code": code_for(device), "next": "/organisations/"}
    )

    page = response.content.decode()
    tokens = list(
        StaticToken.objects.filter(device__user=administrator).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert all(f"{token[:5]} {token[5:]}" in page for token in tokens)
    assert 'href="/organisations/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert "Organisations" in client.get("/organisations/").content.decode()


def test_code_step_lets_the_user_in_with_the_apps_code(client, required, authenticator):
    sign_in(client)

    response = client.post(
        "/accounts/two-factor/?next=/organisations/", {"code": code_for(authenticator, later=1)}
    )

    assert response["Location"] == "/organisations/"
    assert "Organisations" in client.get("/organisations/").content.decode()


def test_code_step_takes_a_code_typed_with_spaces(client, required, authenticator):
    sign_in(client)
    code = code_for(authenticator, later=1)

    response = client.post(reverse("accounts:two_factor"), {"code": f" {code[:3]} {code[3:]} "})

    assert response["Location"] == "/participants/"


def test_code_step_refuses_a_wrong_code_and_then_slows_down(client, required, authenticator):
    sign_in(client)
    wrong = f"{(int(code_for(authenticator, later=1)) + 1) % 1_000_000:06d}"

    first = client.post(reverse("accounts:two_factor"), {"code": wrong})
    second = client.post(reverse("accounts:two_factor"), {"code": code_for(authenticator, later=1)})

    assert "The code is not right." in first.content.decode()
    assert "Too many wrong codes. Wait a minute" in second.content.decode()
    assert client.get("/participants/")["Location"].startswith("/accounts/two-factor/")


def test_code_step_refuses_a_code_used_already(client, required, authenticator):
    sign_in(client)

    response = client.post(reverse("accounts:two_factor"), {"code": authenticator.used_code})

    assert "The code is not right." in response.content.decode()


def test_code_step_refuses_an_empty_code(client, required, authenticator):
    sign_in(client)

    response = client.post(reverse("accounts:two_factor"), {"code": ""})

    assert "Enter the code from your authenticator app" in response.content.decode()


def test_code_step_refuses_another_users_code(client, required, authenticator, supervisor):
    other = two_factor.pending_authenticator(supervisor)
    two_factor.confirm_authenticator(other, code=code_for(other))
    sign_in(client)

    response = client.post(reverse("accounts:two_factor"), {"code": code_for(other, later=1)})

    assert "The code is not right." in response.content.decode()


def test_a_recovery_code_works_once(client, required, authenticator):
    code = authenticator.recovery_codes[0]
    sign_in(client)

    response = client.post(
        reverse("accounts:two_factor"), {"code": f"{code[:5]}-{code[5:]}"}, follow=True
    )

    assert "You signed in with a recovery code. You have 9 left" in response.content.decode()
    client.post(reverse("logout"))
    sign_in(client)
    again = client.post(reverse("accounts:two_factor"), {"code": code})
    assert "The code is not right." in again.content.decode()


def test_code_step_does_not_follow_a_next_to_another_site(client, required, authenticator):
    sign_in(client)

    response = client.post(
        "/accounts/two-factor/?next=https://evil.example/",
        {"code": code_for(authenticator, later=1)},
    )

    assert response["Location"] == "/participants/"


def test_signing_out_works_before_the_code(client, required, authenticator):
    sign_in(client)

    client.post(reverse("logout"))

    assert client.get("/accounts/two-factor/")["Location"].startswith("/accounts/login/")


def test_set_up_cannot_replace_an_app_before_the_code(client, required, authenticator):
    sign_in(client)

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response["Location"] == "/accounts/two-factor/?"
    assert TOTPDevice.objects.filter(user=authenticator.user).count() == 1


def test_set_up_replaces_the_old_app_once_the_new_one_is_confirmed(client, required, authenticator):
    sign_in(client)
    client.post(reverse("accounts:two_factor"), {"code": code_for(authenticator, later=1)})
    client.get(reverse("accounts:two_factor_setup"))
    new = TOTPDevice.objects.get(user=authenticator.user, confirmed=False)

    client.post(reverse("accounts:two_factor_setup"), {"code": code_for(new)})

    assert list(TOTPDevice.objects.filter(user=authenticator.user)) == [new]


def test_new_recovery_codes_replace_the_old(client, required, authenticator):
    sign_in(client)
    client.post(reverse("accounts:two_factor"), {"code": code_for(authenticator, later=1)})

    response = client.post(reverse("accounts:recovery_codes"))

    page = response.content.decode()
    assert "Your old recovery codes no longer work" in page
    tokens = set(
        StaticToken.objects.filter(device__user=authenticator.user).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert not tokens & set(authenticator.recovery_codes)


def test_account_page_says_how_many_recovery_codes_are_left(client, required, authenticator):
    sign_in(client)
    client.post(reverse("accounts:two_factor"), {"code": authenticator.recovery_codes[0]})

    page = client.get(reverse("accounts:account")).content.decode()

    assert "You have 9 recovery codes left." in page
    assert "Set up a new phone" in page


def test_demo_does_not_ask_for_a_code_from_someone_without_an_app(client, administrator):
    sign_in(client)

    page = client.get(reverse("accounts:account")).content.decode()

    assert "It is optional in this demo" in page
    assert "Participants" in client.get("/participants/").content.decode()


def test_demo_asks_for_a_code_from_someone_with_an_app(client, authenticator):
    sign_in(client)

    response = client.get("/participants/")

    assert response["Location"] == "/accounts/two-factor/?next=%2Fparticipants%2F"

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tracker_site.accounts import two_factor


@pytest.fixture
def required(settings):
    """Two-factor sign-in as in production."""
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the device's app shows now (or ``later`` steps of 30 seconds on: a code
    is accepted once, so a second sign-in in the same half-minute needs the next one)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, drift=later):06d}"


@pytest.fixture
def authenticator(administrator):
    """The Administrator's confirmed app, with its recovery codes (``.recovery_codes``)
    and the code that confirmed it (``.used_code``)."""
    device = two_factor.pending_authenticator(administrator)
    device.used_code = code_for(device)
    device.recovery_codes = two_factor.confirm_authenticator(device, code=device.used_code)
    return device


def sign_in(client, username: str = "admin"):
    """The password step only."""
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})

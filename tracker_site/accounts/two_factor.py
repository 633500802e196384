"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and recovery codes.

Each member of staff has at most one confirmed authenticator device and one set of
recovery codes. Setting up makes an unconfirmed device whose key the user scans; it is
confirmed, replacing any earlier one, only when the user types a code it made, so an
abandoned set-up never locks anyone out.
"""

import base64
import io
import secrets

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Recovery codes are 10 letters and digits, shown as two groups of five; letters and
# digits that look alike are left out.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# Session key: whether the user had an authenticator app when they signed in.
HAD_AUTHENTICATOR = "two_factor_set_up"


def note_authenticator_at_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """At sign-in (user_logged_in): note in the session whether the user has an
    authenticator app, so that pages need not look it up each time."""
    if request is not None and hasattr(request, "session"):
        request.session[HAD_AUTHENTICATOR] = has_authenticator(user)


def is_pending(request: HttpRequest) -> bool:
    """Whether the signed-in user still has to give a code: always outside the demo
    (TWO_FACTOR_REQUIRED), and in it for anyone who has set up an app."""
    user = request.user
    return (
        user.is_authenticated
        and not user.is_verified()
        and (settings.TWO_FACTOR_REQUIRED or request.session.get(HAD_AUTHENTICATOR, False))
    )


def has_authenticator(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device the user is setting up, made on first use: the same key
    until it is confirmed, so reloading the page keeps the picture they scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_authenticator(device: TOTPDevice, *, code: str) -> list[str] | None:
    """Confirm the pending device if the code is one it makes now.

    Side effects on success: the user's other authenticator devices are deleted, this
    one is confirmed and the user's recovery codes are replaced. Returns the new
    recovery codes (shown once, stored hashed only by their use), or None when the code
    is wrong (the device's throttle counts the failure).
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_is_allowed()[0]:
        raise Throttled
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; each works
    once, in place of a code from the app."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class Throttled(Exception):
    """Too many wrong codes in a row: the device refuses codes for a while (django-otp's
    throttle doubles the wait after each failure)."""


def verified_device(user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts the code (the app for six digits, else the recovery
    codes), or None. A recovery code is used up.

    Raises Throttled while the device is refusing codes.
    """
    devices = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = devices.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    if not device.verify_is_allowed()[0]:
        raise Throttled
    # Locks the device's row, so one code cannot be used by two requests at once.
    return django_otp.verify_token(user, device.persistent_id, code)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, an SVG drawn here (no third party
    sees the key), as a data: URI for an <img>."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="QR code"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def typed_key(device: TOTPDevice) -> str:
    """The key for typing into an app by hand: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

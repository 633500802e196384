"""The members of staff the benchmark signs in as, and their signed-in sessions.

A session is made as a sign-in would make it, second step (two-factor) included, so
that every page runs the same middleware as for real staff; the password step is
skipped because hashing a password is deliberately slow and not what is measured.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from participants.models import Team
from tracker_site.accounts.two_factor import HAD_AUTHENTICATOR

BACKEND = "django.contrib.auth.backends.ModelBackend"


def teams_seen() -> list[Team]:
    """Half the teams: an Administrator sees half of the participants."""
    teams = list(Team.objects.order_by("pk"))
    return teams[: max(1, len(teams) // 2)]


def member(username: str, role: str | None, *, superuser: bool = False, teams=()):
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": username}
    )
    user.is_staff = user.is_superuser = superuser
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    for team in teams:
        team.members.add(user)
    return user


def signed_in_session(user) -> str:
    """A new session key for the user, signed in and past the second step."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAD_AUTHENTICATOR] = True
    session.create()
    return session.session_key


def cookie_name() -> str:
    return settings.SESSION_COOKIE_NAME

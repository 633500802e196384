"""Project-wide middleware: behaviour every response needs, whatever the app."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

Middleware = Callable[[HttpRequest], HttpResponse]


def htmx_login_redirect(get_response: Middleware) -> Middleware:
    """Send htmx requests whose session has ended to the sign-in page.

    The browser follows a 302 inside the XMLHttpRequest, so without this the sign-in
    form would be swapped into the middle of the page.
    """
    login_path = resolve_url(settings.LOGIN_URL)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(login_path)
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response

    return middleware


def no_store_when_signed_in(get_response: Middleware) -> Middleware:
    """Keep pages with personal data out of browser and proxy caches."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        patch_vary_headers(response, ["HX-Request"])
        return response

    return middleware


def permissions_policy(get_response: Middleware) -> Middleware:
    """Turn off the browser features no page uses (camera, microphone, location…), so
    that injected or third-party code could not use them either."""
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware


# Session keys: when the user signed in, and when they last asked for a page.
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen_at"
# How often the last-seen time is written back (a session save), at most.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """At sign-in (user_logged_in): the session's time limits run from now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = now


def session_limits(get_response: Middleware) -> Middleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT or older than
    SESSION_ABSOLUTE_TIMEOUT, saying why on the sign-in page.

    Runs inside ``htmx_login_redirect``, so an htmx request is sent to sign in with
    HX-Redirect instead of having the sign-in page swapped into the page.
    """
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return get_response(request)
        session = request.session
        now = time.time()
        # A session from before these limits existed starts its clock now.
        signed_in_at = session.get(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > idle or now - signed_in_at > absolute:
            reason = (
                f"You were signed out because the tracker was not used for "
                f"{idle // 60:.0f} minutes."
                if now - last_seen > idle
                else f"You were signed out because you signed in more than "
                f"{absolute // 3600:.0f} hours ago."
            )
            logout(request)
            messages.info(request, f"{reason} Sign in again to carry on.")
            return redirect_to_login(request.get_full_path())
        if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
            session[LAST_SEEN] = now
            session.setdefault(SIGNED_IN_AT, now)
        return get_response(request)

    return middleware

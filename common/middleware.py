"""Project-wide middleware: behaviour every response needs, whatever the app."""

from collections.abc import Callable

from django.conf import settings
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

"""Two-factor sign-in, enforced for every page: a signed-in user who must give a code
(``two_factor.is_pending``) and has not yet in this session is sent to give one, or to
set up an authenticator app if they have none. Only the pages for doing that, signing
out and those open to everyone are exempt."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from common.redirects import with_query
from tracker_site.accounts import two_factor


def verification_not_required(view: Callable) -> Callable:
    """Mark a view as usable before the second step of signing in."""
    view.verification_not_required = True
    return view


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read by the page templates, which then show no menu.
        request.two_factor_pending = two_factor.is_pending(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if (
            not request.two_factor_pending
            or getattr(view, "verification_not_required", False)
            or not getattr(view, "login_required", True)
        ):
            return None
        step = "two_factor" if two_factor.has_authenticator(request.user) else "two_factor_setup"
        target = with_query(redirect(f"accounts:{step}").url, next=request.get_full_path())
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return redirect(target)

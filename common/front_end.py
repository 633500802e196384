"""Who may use the front end: every page but the Django admin's and the sign-in pages.

Signed-in staff need settings.FRONT_END_PERMISSION, which the casework roles have and the
Data fix role has not: data-fix staff correct records in the admin, under its per-model
permissions, and are refused everything else here, in one place, whatever a view checks.
Superusers have every permission, so they keep the whole site.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

Middleware = Callable[[HttpRequest], HttpResponse]

REFUSED_TEMPLATE = "front_end_refused.html"


def front_end_role_not_required(view: Callable) -> Callable:
    """Open a signed-in page to every member of staff (signing out, say), as
    ``login_not_required`` opens one to everybody."""
    view.front_end_role_required = False
    return view


class FrontEndRoleMiddleware:
    """Refuse (403, with a page pointing to the admin) a signed-in user without the
    front-end permission on any page that is not the admin's or open to all staff.

    It runs after LoginRequiredMiddleware, so anonymous users (and deactivated ones,
    whose session no longer signs them in) are sent to sign in first.
    """

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if (
            not request.user.is_authenticated
            or "admin" in request.resolver_match.app_names
            or not getattr(view_func, "login_required", True)
            or not getattr(view_func, "front_end_role_required", True)
            or request.user.has_perm(settings.FRONT_END_PERMISSION)
        ):
            return None
        return render(request, REFUSED_TEMPLATE, status=403)

"""How a form page answers when it is opened in a dialog (htmx) rather than as a page."""

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import trigger_client_event


def in_dialog(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def saved(request: HttpRequest, *, events: dict[str, dict], redirect_to: str) -> HttpResponse:
    """After a save: in a dialog, an empty response whose events close the dialog and tell
    the page what changed; as a page, Post/Redirect/Get."""
    if in_dialog(request):
        response = HttpResponse(headers={"HX-Reswap": "none"})
        for name, detail in {"dialogSaved": {}, **events}.items():
            trigger_client_event(response, name, detail)
        return response
    return redirect(redirect_to)


def with_query(url: str, **params) -> str:
    """The URL with these query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    for name, value in params.items():
        query[name] = str(value)
    return urlunsplit(parts._replace(query=query.urlencode()))


def safe_next(request: HttpRequest) -> str:
    """The ``next`` URL of the request when it is on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""

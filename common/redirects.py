"""Where a page sends the user next: a ``next`` URL only when it is on this site, and a
URL with query parameters set."""

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme


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

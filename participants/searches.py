"""Grid searches that hold a National Insurance number, kept out of URLs.

A URL ends up in proxy and server logs and in the browser's history, so a NINO typed
into the participant grid's search must never be in one. The search form is POSTed; the
answer is the grid's GET URL, with the search as ``?q=`` when it is only names,
references or postcodes, and as ``?search=<token>`` when it holds a NINO: the search
itself stays in the user's session under that short random token. Back, pagination and
the links kept by the filters all use the token URL, which works as long as the session.
"""

import re
import secrets

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict
from django.urls import reverse

SESSION_KEY = "participant_searches"
HELD_PARAMETER = "search"
KEPT = 20
# Two letters and four of a NINO's figures, anywhere once the spaces are gone (a postcode
# has at most three figures together, a reference a hyphen after its letters) ...
NINO_START = re.compile(r"[A-Z]{2}\d{4}")
# ... or its six figures on their own.
NINO_FIGURES = re.compile(r"\d{6}")


def holds_nino(text: str) -> bool:
    """Whether what was typed is a NI number, or part of one that names a person."""
    terms = (text or "").upper().split()
    compact = "".join(terms)
    return bool(
        NINO_START.search(compact)
        or NINO_FIGURES.fullmatch(compact)
        or any(NINO_FIGURES.fullmatch(term) for term in terms)
    )


def results_url(session: SessionBase, params: QueryDict) -> str:
    """The grid's URL for the filters given, with a NINO search held in the session."""
    query = QueryDict(mutable=True)
    for name in ("team", "programme", "adviser"):
        if params.get(name):
            query[name] = params[name]
    text = params.get("q", "").strip()
    if holds_nino(text):
        query[HELD_PARAMETER] = _hold(session, text)
    elif text:
        query["q"] = text
    url = reverse("participants:list")
    return f"{url}?{query.urlencode()}" if query else url


def with_held_search(session: SessionBase, params: QueryDict) -> tuple[QueryDict, bool]:
    """The filters of a grid URL, with its held search put back as ``q``; and whether the
    URL named a search that is no longer held (another session's, or an expired one)."""
    data = params.copy()
    token = data.pop(HELD_PARAMETER, [""])[-1]
    if not token:
        return data, False
    held = session.get(SESSION_KEY, {})
    if token not in held:
        return data, True
    data["q"] = held[token]
    return data, False


def _hold(session: SessionBase, text: str) -> str:
    held = dict(session.get(SESSION_KEY, {}))
    token = next((token for token, kept in held.items() if kept == text), None)
    if token is None:
        token = secrets.token_urlsafe(6)
        held[token] = text
    else:
        held[token] = held.pop(token)  # the most recent last
    session[SESSION_KEY] = dict(list(held.items())[-KEPT:])
    return token

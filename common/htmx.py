"""How pages talk to htmx: whether a request wants only a fragment, how a form opened in a
dialog answers once it has saved, and the names of the events that pages listen for.

Every view asks ``is_partial`` (or ``template_for``) rather than reading ``request.htmx``
itself, and every event name is spelled once, in ``Event``; templates and ``site.js``
use the same spellings (a test checks them).
"""

from enum import StrEnum

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import trigger_client_event


class Event(StrEnum):
    """Events sent with ``HX-Trigger`` after a save, named <thing><what happened>."""

    DIALOG_SAVED = "dialogSaved"
    ORGANISATION_CREATED = "organisationCreated"
    ORGANISATION_CHANGED = "organisationChanged"
    DOCUMENTS_CHANGED = "documentsChanged"


def is_partial(request: HttpRequest) -> bool:
    """Whether htmx asked for a fragment of the page (a history restore wants it whole)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The page's template, or only its named partial when htmx asked for a fragment."""
    return f"{template}#{partial}" if is_partial(request) else template


def saved(
    request: HttpRequest, *, events: dict[Event, dict] | None = None, redirect_to: str
) -> HttpResponse:
    """After a save: in a dialog, an empty response whose events close the dialog, carry
    the messages the view added (the page shows and announces them, as it would after a
    redirect) and tell the page what changed; as a page, Post/Redirect/Get."""
    if not is_partial(request):
        return redirect(redirect_to)
    # Read here, they are not shown again on the next page.
    said = [{"text": str(message), "level": message.tags} for message in get_messages(request)]
    response = HttpResponse(headers={"HX-Reswap": "none"})
    for event, detail in {Event.DIALOG_SAVED: {"messages": said}, **(events or {})}.items():
        trigger_client_event(response, str(event), detail)
    return response

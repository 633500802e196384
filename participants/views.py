"""Participant grid, profile, the add page and the read-access log.

Editing a participant may move their milestones, so the edit page is the gathering
layer's (``milestones.views.casework``).
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import is_partial, template_for
from common.pagination import Keyset, keyset_page_of, page_of
from participants import searches
from participants.access import get_participant_for, participants_for
from participants.access_log import access_log_for, record_access
from participants.forms import AccessLogFilterForm, ParticipantForm, ParticipantSearchForm
from participants.services import create_participant


@require_http_methods(["GET", "POST"])
def participant_list(request: HttpRequest) -> HttpResponse:
    """The grid. Its search is POSTed and answered with the GET URL of the results, so a
    NI number typed into it never goes in a URL (``participants.searches``)."""
    if request.method == "POST":
        location = searches.results_url(request.session, request.POST)
        if not is_partial(request):
            return redirect(location)
        response = _grid(request, QueryDict(urlsplit(location).query))
        response["HX-Push-Url"] = location
        return response
    if searches.holds_nino(request.GET.get("q", "")):
        # A NINO in an old link: out of the address bar, and the rest of the way held.
        return redirect(searches.results_url(request.session, request.GET))
    return _grid(request, request.GET)


# By name, answered by the name index (with a team: the team's name index).
GRID_ORDER = Keyset(("last_name", "first_name", "id"))


def _grid(request: HttpRequest, params: QueryDict) -> HttpResponse:
    data, lost = searches.with_held_search(request.session, params)
    # Bound when a lost search is to be reported, even with nothing else given.
    form = ParticipantSearchForm(data if data or lost else None, user=request.user)
    participants = form.filter(
        participants_for(request.user).select_related("team", "programme", "adviser")
    )
    if lost:
        form.add_error("q", "That search is no longer held. Search again.")
    # A search is answered by its trigram index, which the name order's cannot use.
    page, query = keyset_page_of(
        request, participants, GRID_ORDER, params, narrow=bool(form.searched)
    )
    return render(
        request,
        template_for(request, "participants/participant_list.html", "participant-results"),
        {"form": form, "page": page, "query": query},
    )


@require_GET
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, pk)
    record_access(request, participant)
    return render(
        request,
        "participants/participant_detail.html",
        # The stored milestones, read through the participant (milestones.models).
        {"participant": participant, "milestones": participant.milestones.all()},
    )


@permission_required("participants.add_participant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest) -> HttpResponse:
    form = ParticipantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        participant = create_participant(**form.participant_fields)
        messages.success(request, f"{participant.full_name} was added.")
        return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/participant_form.html", {"form": form})


@permission_required("participants.view_accesslogentry", raise_exception=True)
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read which participant's record, newest first; nothing here changes it."""
    form = AccessLogFilterForm(request.GET or None)
    page, query = page_of(request, form.filter(access_log_for(request.user)))
    return render(
        request,
        template_for(request, "participants/access_log.html", "access-log-results"),
        {"form": form, "page": page, "query": query},
    )

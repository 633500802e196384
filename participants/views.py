"""Participant grid, profile, the add page and the read-access log.

Editing a participant may move their milestones, so the edit page is the gathering
layer's (``milestones.views.casework``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import template_for
from common.pagination import page_of
from participants.access import get_participant_for, participants_for
from participants.access_log import access_log_for, record_access
from participants.forms import AccessLogFilterForm, ParticipantForm, ParticipantSearchForm
from participants.services import create_participant


@require_GET
def participant_list(request: HttpRequest) -> HttpResponse:
    form = ParticipantSearchForm(request.GET or None, user=request.user)
    participants = form.filter(
        participants_for(request.user).select_related("team", "programme", "adviser")
    )
    page, query = page_of(request, participants)
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

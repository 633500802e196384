"""Participant grid, profile, and the add and edit pages.

The edit page also recalculates the participant's milestones (trackers.projections) when
their programme or its start date changes: a page may gather several apps.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from participants.access import get_participant_for, participants_for
from participants.forms import ParticipantForm, ParticipantSearchForm
from tracker_site.pagination import page_number, paginate
from trackers.projections import recalculate_participant


@require_GET
def participant_list(request: HttpRequest) -> HttpResponse:
    form = ParticipantSearchForm(request.GET or None, user=request.user)
    participants = form.filter(
        participants_for(request.user).select_related("team", "programme", "adviser")
    )
    page = paginate(participants, page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    template = "participants/participant_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#participant-results"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@require_GET
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, pk)
    return render(
        request,
        "participants/participant_detail.html",
        {"participant": participant, "milestones": participant.milestones.all()},
    )


@permission_required("participants.add_participant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest) -> HttpResponse:
    form = ParticipantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        participant = form.save()
        messages.success(request, f"{participant.full_name} was added.")
        return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/participant_form.html", {"form": form})


@permission_required("participants.change_participant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, pk)
    form = ParticipantForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if {"programme", "programme_start_date"} & set(form.changed_data):
                # Milestones are counted from the programme start, within its window.
                recalculate_participant(participant)
        messages.success(request, f"{participant.full_name} was updated.")
        return redirect("participants:detail", pk=participant.pk)
    return render(
        request, "participants/participant_form.html", {"form": form, "participant": participant}
    )

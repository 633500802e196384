"""Pages whose save moves a participant's milestones: Create Tracker, edit a tracker, end
a job, and edit a participant (a new programme or programme start).

Each calls a ``milestones.services`` write, which saves and recalculates together, so
the page the user lands on already shows the new projected dates.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from common.drafts import keep_draft, take_draft
from common.versions import ChangedSinceLoaded, changed_since_loaded
from milestones.services import create_tracker, end_tracker, update_participant, update_tracker
from participants.access import get_participant_for
from participants.access_log import record_access
from participants.forms import ParticipantForm
from trackers.access import get_tracker_for
from trackers.forms import TrackerCreateForm, TrackerEndForm, TrackerForm
from trackers.models import EvidenceDocument, Tracker
from trackers.services import TrackerChanged

# The tracker form's buttons that show it again rather than save it (JavaScript off): Find
# lists the employers matching the search; + Add a new organisation keeps what was typed
# as a draft while the organisation is added on its own page, and comes back to it.
FIND_EMPLOYER = "find_employer"
ADD_EMPLOYER = "add_employer"
RETURNING = "draft"
NOT_STORED = (
    "The tracker and its evidence could not be saved, so nothing was saved. Try again in a "
    "few minutes, and tell your administrator if it keeps happening."
)

logger = logging.getLogger(__name__)


@permission_required("trackers.add_tracker", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracker_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, participant_pk)
    record_access(request, participant)
    if ADD_EMPLOYER in request.POST:
        return _add_employer(request)
    data, returning = _posted_or_draft(request)
    form = TrackerCreateForm(
        data,
        request.FILES or None,
        participant=participant,
        user=request.user,
        initial={"organisation": request.GET.get("organisation")},
    )
    if FIND_EMPLOYER in request.POST or returning:
        form.show_unchecked()
    elif request.method == "POST" and form.is_valid():
        try:
            tracker, created = create_tracker(
                participant=participant,
                submission_token=form.cleaned_data["submission_token"],
                documents=form.cleaned_data["documents"],
                document_kind=form.cleaned_data["document_kind"] or EvidenceDocument.Kind.OTHER,
                confirm_organisation=form.cleaned_data["confirm_organisation"],
                created_by=request.user,
                **form.tracker_fields,
            )
        except OSError:
            # The evidence could not be stored (a full disk, say): nothing was saved.
            logger.exception("Could not store the evidence of a new tracker")
            form.add_error(None, NOT_STORED)
        else:
            if created:
                messages.success(request, f"Tracker created: {tracker.description}.")
                _warn_about_overlaps(request, tracker)
            return redirect("trackers:list", participant_pk=participant.pk)
    return render(
        request,
        "trackers/tracker_form.html",
        {"participant": participant, "form": form, "lost_files": _lost_files(request, form)},
    )


@permission_required("trackers.change_tracker", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracker_edit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    record_access(request, tracker.participant)
    if ADD_EMPLOYER in request.POST:
        return _add_employer(request)
    data, returning = _posted_or_draft(request)
    form = TrackerForm(data, instance=tracker, participant=tracker.participant, user=request.user)
    if FIND_EMPLOYER in request.POST or returning:
        form.show_unchecked()
    elif request.method == "POST" and form.is_valid():
        # The form has no review status: the tracker's is still the one saved.
        was_approved = tracker.status == Tracker.Status.APPROVED
        try:
            update_tracker(
                tracker=tracker,
                loaded_version=form.cleaned_data["loaded_version"] or 0,
                changed_by=request.user,
                **form.tracker_fields,
            )
        except TrackerChanged as changed:
            form.add_error(None, changed_since_loaded(changed.current, "tracker"))
        else:
            messages.success(request, "Tracker saved.")
            if was_approved and tracker.status == Tracker.Status.IN_REVIEW:
                messages.warning(
                    request,
                    "It was Approved. Its dates, hours, pay or employer changed, so it is back "
                    "in review: a compliance officer must approve it again.",
                )
            _warn_about_overlaps(request, tracker)
            return redirect("trackers:detail", participant_pk=participant_pk, pk=pk)
    return render(
        request,
        "trackers/tracker_form.html",
        {"participant": tracker.participant, "tracker": tracker, "form": form},
    )


@permission_required("trackers.change_tracker", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracker_end(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    record_access(request, tracker.participant)
    form = TrackerEndForm(request.POST or None, tracker=tracker)
    if request.method == "POST" and form.is_valid():
        try:
            end_tracker(
                tracker=tracker,
                end_date=form.cleaned_data["end_date"],
                note=form.cleaned_data["note"],
                loaded_version=form.cleaned_data["loaded_version"],
                ended_by=request.user,
            )
        except TrackerChanged as changed:
            form.add_error(None, changed_since_loaded(changed.current, "tracker"))
        else:
            messages.success(request, "The job has ended. Its review goes on as before.")
            return redirect("trackers:detail", participant_pk=participant_pk, pk=pk)
    return render(
        request,
        "trackers/tracker_end.html",
        {"participant": tracker.participant, "tracker": tracker, "form": form},
    )


@permission_required("participants.change_participant", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, pk)
    record_access(request, participant)
    form = ParticipantForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            update_participant(
                participant=participant,
                loaded_version=form.cleaned_data["loaded_version"],
                **form.participant_fields,
            )
        except ChangedSinceLoaded as changed:
            form.add_error(None, changed_since_loaded(changed.current, "participant"))
        else:
            messages.success(request, f"{participant.full_name} was updated.")
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request, "participants/participant_form.html", {"form": form, "participant": participant}
    )


def _warn_about_overlaps(request: HttpRequest, tracker: Tracker) -> None:
    for other in Tracker.objects.overlapping(tracker).select_related("organisation"):
        messages.warning(
            request,
            f"This job overlaps “{other.description}” at {other.organisation}, which started "
            f"on {other.start_date:%-d %B %Y}. Check that both jobs are right.",
        )


def _lost_files(request: HttpRequest, form: TrackerCreateForm) -> list[str]:
    """Names of files chosen for a form shown again (it failed, or Find was pressed):
    browsers cannot keep them."""
    if request.method != "POST" or (form.is_valid() and FIND_EMPLOYER not in request.POST):
        return []
    return [upload.name for upload in request.FILES.getlist("documents")]


def _add_employer(request: HttpRequest) -> HttpResponse:
    """Keep the form as typed and go to Add an employer, which comes back to it."""
    keep_draft(request, request.path)
    back = f"{request.path}?{RETURNING}=1"
    return redirect(f"{reverse('organisations:create')}?{urlencode({'employer': 1, 'next': back})}")


def _posted_or_draft(request: HttpRequest) -> tuple[QueryDict | None, bool]:
    """The form's data: what was posted, or, coming back from Add an employer, the draft
    with the organisation just added (if one was). Also whether it is the draft."""
    if request.method == "POST":
        return request.POST, False
    if RETURNING not in request.GET:
        return None, False
    added = {"organisation": request.GET["organisation"]} if "organisation" in request.GET else {}
    draft = take_draft(request, request.path, **added)
    return draft, draft is not None

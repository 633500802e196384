"""A participant's Trackers screen, Create Tracker, the tracker page, edit and end a job."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from participants.access import get_participant_for
from tracker_site.history import history_changes
from trackers.access import get_tracker_for
from trackers.forms import TrackerCreateForm, TrackerEndForm, TrackerForm
from trackers.models import EvidenceDocument, Tracker
from trackers.services import (
    TrackerChanged,
    create_tracker,
    end_tracker,
    overlapping_jobs,
    update_tracker,
)

HISTORY_SHOWN = 30


@permission_required("trackers.view_tracker", raise_exception=True)
@require_GET
def tracker_list(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, participant_pk)
    trackers = participant.trackers.for_participant_list().prefetch_related(
        Prefetch("documents", EvidenceDocument.objects.current(), to_attr="current_documents")
    )
    return render(
        request,
        "trackers/tracker_list.html",
        {
            "participant": participant,
            "trackers": trackers,
            "milestones": participant.milestones.all(),
        },
    )


@permission_required("trackers.add_tracker", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracker_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, participant_pk)
    initial = {"organisation": request.GET.get("organisation")}
    form = TrackerCreateForm(
        request.POST or None,
        request.FILES or None,
        participant=participant,
        user=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        tracker, created = create_tracker(
            tracker=form.save(commit=False),
            submission_token=form.cleaned_data["submission_token"],
            documents=form.cleaned_data["documents"],
            document_kind=form.cleaned_data["document_kind"] or EvidenceDocument.Kind.OTHER,
            confirm_organisation=form.cleaned_data["confirm_organisation"],
            created_by=request.user,
        )
        if created:
            messages.success(request, f"Tracker created: {tracker.description}.")
            _warn_about_overlaps(request, tracker)
        return redirect("trackers:list", participant_pk=participant.pk)
    return render(
        request,
        "trackers/tracker_form.html",
        {"participant": participant, "form": form, "lost_files": _lost_files(request, form)},
    )


@permission_required("trackers.view_tracker", raise_exception=True)
@require_GET
def tracker_detail(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    documents = tracker.documents.current().select_related("uploaded_by")
    history = sorted(
        [
            *tracker.history.select_related("history_user")[:HISTORY_SHOWN],
            *EvidenceDocument.history.filter(tracker_id=tracker.pk).select_related("history_user")[
                :HISTORY_SHOWN
            ],
        ],
        key=lambda record: record.history_date,
        reverse=True,
    )
    template = "trackers/tracker_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#tracker-documents"
    return render(
        request,
        template,
        {
            "participant": tracker.participant,
            "tracker": tracker,
            "documents": documents,
            "history": history_changes(history, describe=_subject),
        },
    )


@permission_required("trackers.change_tracker", raise_exception=True)
@require_http_methods(["GET", "POST"])
def tracker_edit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    form = TrackerForm(
        request.POST or None, instance=tracker, participant=tracker.participant, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_tracker(
                tracker=form.save(commit=False),
                loaded_version=form.cleaned_data["loaded_version"] or 0,
                changed_by=request.user,
            )
        except TrackerChanged as changed:
            form.add_error(None, _conflict_message(changed.current))
        else:
            messages.success(request, "Tracker saved.")
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
            form.add_error(None, _conflict_message(changed.current))
        else:
            messages.success(request, "The job has ended and the tracker is closed.")
            return redirect("trackers:detail", participant_pk=participant_pk, pk=pk)
    return render(
        request,
        "trackers/tracker_end.html",
        {"participant": tracker.participant, "tracker": tracker, "form": form},
    )


def _subject(record) -> str:
    if record.instance_type is EvidenceDocument:
        return f"the document {record.original_name}"
    return "the tracker"


def _conflict_message(current: Tracker) -> str:
    latest = current.history.select_related("history_user").first()
    by = history_changes([latest])[0].who if latest and latest.history_user else "Someone else"
    return (
        f"{by} changed this tracker while you were editing it, so your changes were not "
        "saved. Open the tracker again to see the latest version, then make your changes."
    )


def _warn_about_overlaps(request: HttpRequest, tracker: Tracker) -> None:
    for other in overlapping_jobs(tracker):
        messages.warning(
            request,
            f"This job overlaps “{other.description}” at {other.organisation}, which started "
            f"on {other.start_date:%-d %B %Y}. Check that both jobs are right.",
        )


def _lost_files(request: HttpRequest, form: TrackerCreateForm) -> list[str]:
    """Names of files chosen for a form that failed: browsers cannot keep them."""
    if request.method != "POST" or form.is_valid():
        return []
    return [upload.name for upload in request.FILES.getlist("documents")]

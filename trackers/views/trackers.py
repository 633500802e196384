"""A participant's Trackers screen, the tracker page, and submitting it for review.

Creating, editing and ending a tracker move the participant's milestones, so those
pages are the gathering layer's (``milestones.views.casework``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.forms import id_or_none
from common.history import history_changes
from common.htmx import template_for
from participants.access import get_participant_for
from participants.access_log import record_access
from trackers.access import get_tracker_for
from trackers.models import EvidenceDocument, Tracker
from trackers.services import TrackerChanged, submit_for_review

HISTORY_SHOWN = 30


@permission_required("trackers.view_tracker", raise_exception=True)
@require_GET
def tracker_list(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, participant_pk)
    record_access(request, participant)
    trackers = participant.trackers.for_participant_list().prefetch_related(
        Prefetch("documents", EvidenceDocument.objects.current(), to_attr="current_documents")
    )
    return render(
        request,
        "trackers/tracker_list.html",
        {
            "participant": participant,
            "trackers": trackers,
            # The stored milestones, read through the participant (milestones.models).
            "milestones": participant.milestones.all(),
        },
    )


@permission_required("trackers.view_tracker", raise_exception=True)
@require_GET
def tracker_detail(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    record_access(request, tracker.participant)
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
    return render(
        request,
        template_for(request, "trackers/tracker_detail.html", "tracker-documents"),
        {
            "participant": tracker.participant,
            "tracker": tracker,
            "documents": documents,
            "history": history_changes(history, describe=_subject),
            "submittable": tracker.status in Tracker.SUBMITTABLE,
        },
    )


@permission_required("trackers.change_tracker", raise_exception=True)
@require_POST
def tracker_submit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    """Send a new or corrected tracker for review."""
    tracker = get_tracker_for(request.user, participant_pk, pk)
    try:
        submit_for_review(
            tracker=tracker,
            loaded_version=id_or_none(request.POST.get("loaded_version")) or 0,
            submitted_by=request.user,
        )
    except TrackerChanged:
        messages.error(
            request,
            "Someone changed this tracker since you opened it, so it was not submitted. "
            "Check it, then submit it again.",
        )
    except ValueError:
        messages.error(
            request, f"This tracker is {tracker.get_status_display()}: it cannot be submitted."
        )
    else:
        messages.success(request, "Submitted for review.")
    return redirect("trackers:detail", participant_pk=participant_pk, pk=pk)


def _subject(record) -> str:
    if record.instance_type is EvidenceDocument:
        return f"the document {record.original_name}"
    return "the tracker"

"""The review page of one tracker (details beside the evidence, the checklist, the
checks, the history with every decision, the participant's milestones) and deciding."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.history import history_changes
from participants.access_log import record_access
from reviews.checks import checklist, flags, missing_items, refusal
from reviews.forms import DecisionForm
from reviews.queue import reviewable
from reviews.services import ReviewRefused, decide
from trackers.models import EvidenceDocument, Tracker

REVIEW = "reviews.review_tracker"
HISTORY_SHOWN = 50


@permission_required(REVIEW, raise_exception=True)
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tracker = _tracker(request, pk)
    return _review_page(request, tracker, DecisionForm(tracker=tracker))


@permission_required(REVIEW, raise_exception=True)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    tracker = _tracker(request, pk)
    form = DecisionForm(request.POST, tracker=tracker)
    if form.is_valid():
        try:
            decision = decide(
                tracker=tracker,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                loaded_version=form.cleaned_data["loaded_version"],
                decided_by=request.user,
            )
        except ReviewRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"{decision.get_outcome_display()}: {tracker.description} recorded."
            )
            return redirect("reviews:queue")
    return _review_page(request, tracker, form, status=400)


def _tracker(request: HttpRequest, pk: int) -> Tracker:
    return get_object_or_404(
        reviewable(request.user).select_related(
            "participant__team",
            "participant__programme",
            "participant__adviser",
            "organisation",
            "assignee",
            "created_by",
            "edited_by",
        ),
        pk=pk,
    )


def _review_page(request, tracker: Tracker, form: DecisionForm, status: int = 200):
    documents = list(tracker.documents.current().select_related("uploaded_by", "verified_by"))
    items = checklist(tracker, documents)
    decisions = list(tracker.decisions.select_related("reason", "decided_by"))
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
    participant = tracker.participant
    record_access(request, participant)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "tracker": tracker,
            "participant": participant,
            "documents": documents,
            "shown": next((d for d in documents), None),
            "checklist": items,
            "missing": missing_items(items),
            "flags": flags(tracker, documents),
            "refusal": refusal(tracker, request.user, documents),
            "form": form,
            "decisions": decisions,
            "history": history_changes(history, describe=_subject),
            "milestones": participant.milestones.all(),
        },
        status=status,
    )


def _subject(record) -> str:
    if record.instance_type is EvidenceDocument:
        return f"the document {record.original_name}"
    return "the tracker"

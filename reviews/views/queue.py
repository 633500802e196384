"""The review queue of a Compliance officer's teams: tabs with counts, filters, sorting,
and taking or releasing a tracker."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.htmx import template_for
from common.pagination import COUNT_LIMIT, page_of
from common.redirects import safe_next
from participants.access import teams_for
from reviews.forms import QueueFilterForm
from reviews.queue import TABS, for_queue, reviewable, tab_counts, tab_filter
from reviews.services import ReviewRefused, release, take
from trackers.models import Tracker

REVIEW = "reviews.review_tracker"


@permission_required(REVIEW, raise_exception=True)
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tab = request.GET.get("tab", "mine")
    if tab not in {t.key for t in TABS}:
        tab = "mine"
    trackers = reviewable(request.user)
    form = QueueFilterForm(request.GET or None, teams=teams_for(request.user))
    queue = form.filter(
        for_queue(trackers, today=timezone.localdate()).filter(
            tab_filter(tab, user=request.user, now=now)
        ),
        now=now,
    )
    page, query = page_of(request, queue)
    counts = tab_counts(trackers, user=request.user, now=now)
    filters = request.GET.copy()
    filters.pop("tab", None)
    filters.pop("page", None)
    return render(
        request,
        template_for(request, "reviews/review_queue.html", "queue-results"),
        {
            "tabs": [(t, counts[t.key]) for t in TABS],
            "count_limit": COUNT_LIMIT,
            "tab": tab,
            "tab_field": [("tab", tab)],
            "form": form,
            "page": page,
            "query": query,
            "filters": filters.urlencode(),
        },
    )


@permission_required(REVIEW, raise_exception=True)
@require_POST
def review_take(request: HttpRequest, pk: int) -> HttpResponse:
    tracker = _reviewable_tracker(request.user, pk)
    try:
        take(tracker=tracker, reviewer=request.user)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{tracker.description} is yours to review.")
    return redirect(safe_next(request) or "reviews:queue")


@permission_required(REVIEW, raise_exception=True)
@require_POST
def review_release(request: HttpRequest, pk: int) -> HttpResponse:
    tracker = _reviewable_tracker(request.user, pk)
    try:
        release(tracker=tracker, reviewer=request.user)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{tracker.description} is back among the unassigned.")
    return redirect(safe_next(request) or "reviews:queue")


def _reviewable_tracker(user: AbstractBaseUser, pk: int) -> Tracker:
    """A tracker of the user's teams, or 404."""
    return get_object_or_404(reviewable(user).select_related("participant"), pk=pk)

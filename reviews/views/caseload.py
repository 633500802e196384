"""Each reviewer's caseload, for Supervisors, and moving one reviewer's open trackers to
another at once (someone leaves or is away)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reviews.forms import ReassignForm
from reviews.queue import WAITING, caseloads, reviewable, reviewers
from reviews.services import reassign
from trackers.models import Tracker


@permission_required("reviews.assign_reviews", raise_exception=True)
@require_http_methods(["GET", "POST"])
def caseload(request: HttpRequest) -> HttpResponse:
    trackers = reviewable(request.user)
    form = ReassignForm(request.POST or None, reviewers=reviewers())
    if request.method == "POST" and form.is_valid():
        leaving, to = form.cleaned_data["from_reviewer"], form.cleaned_data["to_reviewer"]
        moved = reassign(
            trackers=trackers.filter(
                assignee=leaving, status__in=(*WAITING, Tracker.Status.INFO_REQUESTED)
            ),
            to=to,
            by=request.user,
        )
        target = (to.get_full_name() or to.username) if to else "nobody (unassigned)"
        messages.success(request, f"{moved} tracker{'s' if moved != 1 else ''} moved to {target}.")
        return redirect("reviews:caseload")
    return render(
        request,
        "reviews/caseload.html",
        {"caseloads": caseloads(trackers, now=timezone.now()), "form": form},
    )

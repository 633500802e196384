"""The Milestones page (and starting its CSV export), claims and the forecast: participants'
stored milestones, across every team the user sees."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.htmx import is_partial, template_for
from common.pagination import keyset_page_of
from jobs.services import start_job
from milestones import claim_rules
from milestones.exports import filter_parameters, visible_milestones
from milestones.forecast import forecast as forecast_of
from milestones.forms import (
    ClaimForm,
    ClaimOutcomeForm,
    ClaimSubmissionForm,
    MilestoneFilterForm,
)
from milestones.models import ClaimAttempt, ParticipantMilestone
from milestones.services import (
    ClaimRefused,
    record_claim,
    record_claim_outcome,
    submit_claim,
)
from milestones.tasks import export_milestones
from participants.access import teams_for
from participants.access_log import record_access


@permission_required("participants.view_participant", raise_exception=True)
@require_GET
def milestone_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = MilestoneFilterForm(request.GET or None, teams=teams_for(request.user))
    milestones = form.filter(visible_milestones(request.user).for_list(), today=today)
    page, query = keyset_page_of(request, milestones, form.keyset)
    return render(
        request,
        template_for(request, "milestones/milestone_list.html", "milestone-results"),
        {
            "form": form,
            "page": page,
            "query": query,
            "today": today,
            "export_filters": filter_parameters(request.GET),
        },
    )


@permission_required("milestones.export_milestones", raise_exception=True)
@require_POST
def milestone_export(request: HttpRequest) -> HttpResponse:
    """Start the job that writes the Milestones page's rows (with the page's filters) as
    CSV, and show its page: at a prime provider's size the file takes longer than a
    request may (``milestones.exports``)."""
    job = start_job(
        task=export_milestones,
        kind="milestones_export",
        title="Milestones CSV export",
        started_by=request.user,
        parameters={"filters": filter_parameters(request.POST), "path": request.path},
    )
    return redirect("jobs:detail", pk=job.pk)


@permission_required("milestones.change_claim", raise_exception=True)
@require_http_methods(["GET", "POST"])
def milestone_claim(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _claimable(request, pk)
    form = ClaimForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            record_claim(milestone=milestone, recorded_by=request.user, **form.cleaned_data)
            messages.success(request, f"Claim recorded for {milestone.participant.full_name}.")
        else:
            messages.info(request, "Nothing changed, so nothing was recorded.")
        return redirect("milestones:list")
    return _claim_page(request, milestone, form=form)


@permission_required("milestones.change_claim", raise_exception=True)
@require_POST
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a self-employed outcome's claim as submitted in PRaP (a Pending attempt)."""
    milestone = _claimable(request, pk)
    today = timezone.localdate()
    form = ClaimSubmissionForm(request.POST, today=today)
    if form.is_valid():
        try:
            attempt = submit_claim(
                milestone=milestone,
                submitted_on=form.cleaned_data["submitted_on"],
                recorded_by=request.user,
            )
        except ClaimRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Claim submitted in PRaP on {_long(attempt.submitted_on)} recorded: "
                "record PRaP's answer when it comes.",
            )
            return _claim_saved(request, milestone)
    return _claim_page(request, milestone, submission_form=form)


@permission_required("milestones.change_claim", raise_exception=True)
@require_POST
def claim_outcome(request: HttpRequest, pk: int, attempt_pk: int) -> HttpResponse:
    """Record what PRaP made of a pending claim: Accepted (the milestone is Claimed) or
    Failed with its reason (Rejected, and another attempt while any are left)."""
    milestone = _claimable(request, pk)
    attempt = get_object_or_404(milestone.claim_attempts, pk=attempt_pk)
    today = timezone.localdate()
    form = ClaimOutcomeForm(request.POST, today=today)
    if form.is_valid():
        try:
            record_claim_outcome(
                attempt=attempt,
                outcome=form.cleaned_data["outcome"],
                failure_reason=form.cleaned_data["failure_reason"],
                recorded_on=form.cleaned_data["recorded_on"],
                recorded_by=request.user,
            )
        except ClaimRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _outcome_message(milestone, form.cleaned_data["outcome"]))
            return _claim_saved(request, milestone)
    return _claim_page(request, milestone, outcome_form=form, answering=attempt)


def _claimable(request: HttpRequest, pk: int) -> ParticipantMilestone:
    milestone = get_object_or_404(
        visible_milestones(request.user).select_related("participant"), pk=pk
    )
    record_access(request, milestone.participant)
    return milestone


def _claim_saved(request: HttpRequest, milestone: ParticipantMilestone) -> HttpResponse:
    """After a PRaP claim is recorded: htmx gets the claim's part of the page again, new
    (its notices swapped in beside it); otherwise Post/Redirect/Get."""
    if not is_partial(request):
        return redirect("milestones:claim", pk=milestone.pk)
    milestone.refresh_from_db()
    return _claim_page(request, milestone, notices=True)


def _claim_page(
    request: HttpRequest,
    milestone: ParticipantMilestone,
    *,
    form: ClaimForm | None = None,
    submission_form: ClaimSubmissionForm | None = None,
    outcome_form: ClaimOutcomeForm | None = None,
    answering: ClaimAttempt | None = None,
    notices: bool = False,
) -> HttpResponse:
    """The claim page (or, for htmx, its ``milestone-claim`` part): the claim form and,
    for a self-employed outcome, its deadline, its PRaP attempts and their forms."""
    today = timezone.localdate()
    context = {
        "milestone": milestone,
        "form": form or ClaimForm(instance=milestone),
        "notices": notices,
        "self_employment": milestone.kind == ParticipantMilestone.Kind.SELF_EMPLOYMENT,
    }
    if context["self_employment"]:
        attempts = list(milestone.claim_attempts.select_related("recorded_by"))
        outcomes = [attempt.outcome for attempt in attempts]
        claimable = claim_rules.Claimable(
            self_employment=True,
            verified=milestone.status == ParticipantMilestone.Status.VERIFIED,
            achieved_on=milestone.achieved_on,
            outcomes=outcomes,
        )
        pending = next((a for a in attempts if a.outcome == ClaimAttempt.Outcome.PENDING), None)
        context |= {
            "window": milestone.claim_window(today=today),
            "attempts": attempts,
            "attempts_left": _attempts_left(claim_rules.attempts_left(outcomes)),
            "max_attempts": claim_rules.SELF_EMPLOYED_CLAIM_ATTEMPTS,
            "window_days": claim_rules.SELF_EMPLOYED_CLAIM_WINDOW_DAYS,
            # Whether any submission could be recorded: one on the day it was achieved
            # is the earliest the rules allow.
            "blocked": claim_rules.submission_refusal(
                claimable, submitted_on=milestone.achieved_on or today
            ),
            "submission_form": submission_form or ClaimSubmissionForm(today=today),
            "pending": pending,
            # The attempt whose answer the form records: the pending one, or the one a
            # refused form was posted for (its errors are shown).
            "answering": answering or pending,
            "outcome_form": outcome_form or (pending and ClaimOutcomeForm(today=today)),
        }
    return render(
        request,
        template_for(request, "milestones/milestone_claim.html", "milestone-claim"),
        context,
    )


def _outcome_message(milestone: ParticipantMilestone, outcome: str) -> str:
    if outcome == ClaimAttempt.Outcome.ACCEPTED:
        return f"PRaP accepted the claim: {milestone.name} is now Claimed."
    left = claim_rules.attempts_left(
        list(milestone.claim_attempts.values_list("outcome", flat=True))
    )
    return f"The claim failed: {_attempts_left(left)}."


def _attempts_left(left: int) -> str:
    return "no attempts left" if left == 0 else f"{left} attempt{'' if left == 1 else 's'} left"


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@permission_required("participants.view_participant", raise_exception=True)
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    """Projected milestone achievements per month for the next 12 months: the outcome
    payments to expect, by programme and team."""
    result = forecast_of(teams_for(request.user), today=timezone.localdate())
    return render(
        request,
        "milestones/forecast.html",
        {"rows": result.rows, "bars": result.bars, "months": result.months},
    )

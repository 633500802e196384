"""The Milestones page (and starting its CSV export), claims and the forecast: participants'
stored milestones, across every team the user sees."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.htmx import template_for
from common.pagination import keyset_page_of
from jobs.services import start_job
from milestones.exports import filter_parameters, visible_milestones
from milestones.forecast import forecast as forecast_of
from milestones.forms import ClaimForm, MilestoneFilterForm
from milestones.services import record_claim
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
    milestone = get_object_or_404(
        visible_milestones(request.user).select_related("participant"), pk=pk
    )
    record_access(request, milestone.participant)
    form = ClaimForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            record_claim(milestone=milestone, recorded_by=request.user, **form.cleaned_data)
            messages.success(request, f"Claim recorded for {milestone.participant.full_name}.")
        else:
            messages.info(request, "Nothing changed, so nothing was recorded.")
        return redirect("milestones:list")
    return render(
        request, "milestones/milestone_claim.html", {"milestone": milestone, "form": form}
    )


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

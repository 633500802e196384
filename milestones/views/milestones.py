"""The Milestones page (with CSV export), claims and the forecast: participants'
stored milestones, across every team the user sees."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import template_for
from common.pagination import keyset_page_of
from common.spreadsheets import csv_lines
from milestones.forecast import forecast as forecast_of
from milestones.forms import ClaimForm, MilestoneFilterForm
from milestones.models import ParticipantMilestone
from milestones.services import record_claim
from participants.access import participants_for, sees_every_team, teams_for
from participants.access_log import record_access, record_export


def visible_milestones(user: AbstractBaseUser) -> QuerySet[ParticipantMilestone]:
    """The milestones of the participants the user sees."""
    if sees_every_team(user):
        # No "participant in (every participant)" for the planner to join 250k rows to.
        return ParticipantMilestone.objects.all()
    # A check per row (EXISTS), not a list to drive from: SQLite would otherwise read every
    # milestone of the team's participants and sort them, where the date index gives
    # the page in order.
    return ParticipantMilestone.objects.filter(
        Exists(participants_for(user).filter(pk=OuterRef("participant_id")))
    )


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
        {"form": form, "page": page, "query": query, "today": today},
    )


CSV_COLUMNS = [
    "Participant reference", "Participant", "Programme", "Team", "Milestone", "Amount (£)",
    "Earned so far (£)", "Projected date", "Weeks left", "Status", "Claim status",
    "Paid date", "Payment reference",
]  # fmt: skip


@permission_required("milestones.export_milestones", raise_exception=True)
@require_GET
def milestone_export(request: HttpRequest) -> StreamingHttpResponse:
    """The Milestones page's rows as CSV: UTF-8 with a BOM so that Excel reads it, and
    every cell that a spreadsheet would run as a formula neutralised."""
    form = MilestoneFilterForm(request.GET or None, teams=teams_for(request.user))
    milestones = form.filter(
        visible_milestones(request.user).for_list(), today=timezone.localdate()
    )
    record_export(request, set(milestones.values_list("participant_id", flat=True)))
    rows = (_csv_row(milestone) for milestone in milestones.iterator(chunk_size=2000))
    name = f"milestones-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        csv_lines(CSV_COLUMNS, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_row(m: ParticipantMilestone) -> list:
    participant = m.participant
    return [
        participant.reference,
        participant.full_name,
        participant.programme.name,
        participant.team.name,
        m.name,
        m.amount or "",
        m.earned_to_date,
        m.projected_date.isoformat() if m.projected_date else "",
        "" if m.weeks_left is None else m.weeks_left,
        m.get_status_display(),
        m.get_claim_status_display(),
        m.paid_date.isoformat() if m.paid_date else "",
        m.payment_reference,
    ]


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
    result = forecast_of(visible_milestones(request.user), today=timezone.localdate())
    return render(
        request,
        "milestones/forecast.html",
        {"rows": result.rows, "bars": result.bars, "months": result.months},
    )

"""The programme builder, the Milestones page (with CSV export), claims and the forecast.

This page gathers several apps: it reads participants (for team scoping) and asks
trackers.projections to recalculate when a programme's milestones change.
"""

import csv
import datetime

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from milestones.forms import (
    AmountHelperForm,
    ClaimForm,
    MilestoneFilterForm,
    MilestoneFormSet,
    ProgrammeForm,
)
from milestones.models import ParticipantMilestone, Programme
from participants.access import participants_for, teams_for
from participants.models import Participant
from tracker_site.pagination import page_number, paginate
from trackers.projections import recalculate

FORECAST_MONTHS = 12
# Beyond this many participants a recalculation would outlast a web request (about
# 2,000 rows a second); the scheduled `manage.py recalculate_milestones` does it instead.
RECALCULATE_IN_REQUEST = 5_000


@permission_required("milestones.view_programme", raise_exception=True)
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("financial_milestones")
    return render(request, "milestones/programme_list.html", {"programmes": programmes})


@permission_required("milestones.add_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    return _programme_builder(request, Programme())


@permission_required("milestones.change_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_builder(request, get_object_or_404(Programme, pk=pk))


def _programme_builder(request: HttpRequest, programme: Programme) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, instance=programme)
    formset = MilestoneFormSet(data, instance=programme, prefix="milestones")
    if data and form.is_valid() and formset.is_valid():
        programme, participants, recalculated = save_programme(form=form, formset=formset)
        plural = "s" if participants != 1 else ""
        if recalculated:
            messages.success(
                request,
                f"{programme} saved. Milestones recalculated for {participants:,} participant{plural}.",
            )
        else:
            messages.warning(
                request,
                f"{programme} saved. Its {participants:,} participants are too many to "
                "recalculate now: their milestones change at the next scheduled recalculation "
                f"(or run manage.py recalculate_milestones --programme {programme.pk}).",
            )
        return redirect("milestones:programme_edit", pk=programme.pk)
    helper = AmountHelperForm(request.GET if "on" in request.GET else None)
    return render(
        request,
        "milestones/programme_form.html",
        {"programme": programme, "form": form, "formset": formset, "helper": helper},
    )


@transaction.atomic
def save_programme(*, form: ProgrammeForm, formset) -> tuple[Programme, int, bool]:
    """Save the programme and its financial milestones (in the order shown), then
    recalculate every participant on it, unless there are too many to do now. Returns the
    programme, how many participants it has, and whether they were recalculated."""
    programme = form.save()
    formset.instance = programme
    kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    for f in formset.deleted_forms:
        if f.instance.pk:
            f.instance.delete()
    # Positions are rewritten from the top so that reordering never collides.
    for offset, f in enumerate(kept):
        if f.instance.pk:
            f.instance.position = 1000 + offset
            f.instance.save(update_fields=["position"])
    for position, f in enumerate(kept, start=1):
        milestone = f.save(commit=False)
        milestone.programme = programme
        milestone.position = position
        milestone.save()
    participants = Participant.objects.filter(programme=programme)
    count = participants.count()
    if count > RECALCULATE_IN_REQUEST:
        return programme, count, False
    recalculate(participants)
    return programme, count, True


def _visible_milestones(request: HttpRequest):
    return ParticipantMilestone.objects.filter(participant__in=participants_for(request.user))


@permission_required("participants.view_participant", raise_exception=True)
@require_GET
def milestone_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = MilestoneFilterForm(request.GET or None, teams=teams_for(request.user))
    milestones = (
        form.filter(_visible_milestones(request), today=today)
        .select_related("participant", "participant__programme", "participant__team")
        .order_by(F("projected_date").asc(nulls_last=True), "id")
    )
    page = paginate(milestones, page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    template = "milestones/milestone_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#milestone-results"
    return render(
        request, template, {"form": form, "page": page, "query": query.urlencode(), "today": today}
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
    milestones = form.filter(_visible_milestones(request), today=timezone.localdate())
    milestones = milestones.select_related(
        "participant", "participant__programme", "participant__team"
    ).order_by(F("projected_date").asc(nulls_last=True), "id")
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for milestone in milestones.iterator(chunk_size=2000):
            yield writer.writerow([_cell(value) for value in _csv_row(milestone)])

    name = f"milestones-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        rows(),
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


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A value as CSV text that no spreadsheet will treat as a formula (OWASP)."""
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


@permission_required("milestones.change_claim", raise_exception=True)
@require_http_methods(["GET", "POST"])
def milestone_claim(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(_visible_milestones(request).select_related("participant"), pk=pk)
    form = ClaimForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Claim recorded for {milestone.participant.full_name}.")
        return redirect("milestones:list")
    return render(
        request, "milestones/milestone_claim.html", {"milestone": milestone, "form": form}
    )


@permission_required("participants.view_participant", raise_exception=True)
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    """Projected milestone achievements per month for the next 12 months: the outcome
    payments to expect, by programme and team."""
    today = timezone.localdate()
    first = today.replace(day=1)
    months = [first + relativedelta(months=n) for n in range(FORECAST_MONTHS)]
    rows = (
        _visible_milestones(request)
        .filter(projected_date__gte=today, projected_date__lt=months[-1] + relativedelta(months=1))
        .exclude(status=ParticipantMilestone.Status.NOT_REACHABLE)
        .annotate(month=TruncMonth("projected_date"))
        .values("month", "participant__programme__name", "participant__team__name")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("month", "participant__programme__name", "participant__team__name")
    )
    rows = list(rows)
    totals = {month: 0 for month in months}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        row["month"] = month
        totals[month] = totals.get(month, 0) + row["count"]
    return render(
        request,
        "milestones/forecast.html",
        {"rows": rows, "bars": _bars(totals), "months": months},
    )


def _bars(totals: dict[datetime.date, int]) -> list[dict]:
    """Bar geometry for the server-drawn SVG chart (a 600 × 200 drawing area)."""
    tallest = max(totals.values(), default=0) or 1
    width = 600 / max(len(totals), 1)
    return [
        {
            "month": month,
            "count": count,
            "x": round(index * width + 4, 1),
            "width": round(width - 8, 1),
            "height": round(180 * count / tallest, 1),
            "y": round(190 - 180 * count / tallest, 1),
            "label_y": round(186 - 180 * count / tallest, 1),
        }
        for index, (month, count) in enumerate(sorted(totals.items()))
    ]

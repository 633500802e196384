"""The DWP worklists (late, missing, unknown employment, conflicts) for Supervisors and
Compliance officers, their CSV exports, and closing a conflict."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import template_for
from common.pagination import page_of
from common.spreadsheets import csv_download
from participants.access import teams_for
from participants.access_log import record_access, record_export
from reconciliation import worklists
from reconciliation.forms import CloseConflictForm, WorklistFilterForm
from reconciliation.services import ResolutionRefused, dismiss_row
from reconciliation.views import PERMISSION, WORKLISTS


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resolve_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a conflicting row of the user's teams with the reason (once it has been
    put right, or found to be DWP's to correct): it leaves the Conflicts worklist."""
    row = get_object_or_404(
        worklists.conflicts(request.user).select_related("notification_import", "participant"),
        pk=pk,
    )
    record_access(request, row.participant)
    form = CloseConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dismiss_row(row, reason=form.cleaned_data["reason"], dismissed_by=request.user)
        except ResolutionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Line {row.line} of {row.notification_import} closed.")
            return redirect(f"{reverse('reconciliation:worklist')}?list={worklists.CONFLICTS.slug}")
    return render(request, "reconciliation/resolve_conflict.html", {"row": row, "form": form})


def _worklist_row(slug: str, entry) -> dict:
    """What the page and the export show of one entry, whichever list it is from."""
    if slug == worklists.MISSING.slug:
        return {
            "participant": entry.participant,
            "milestone": entry.name,
            "projected": entry.projected_date,
            "confirmed": None,
            "difference": None,
            "detail": entry.get_status_display(),
        }
    if slug == worklists.CONFLICTS.slug:
        return {
            "conflict": entry.pk,
            "participant": entry.participant,
            "milestone": entry.notification_type,
            "projected": None,
            "confirmed": entry.notification_date,
            "difference": None,
            "detail": f"{entry.notification_import.file_name} line {entry.line}: {entry.message}",
        }
    milestone = entry.participant_milestone
    return {
        "participant": entry.participant,
        "milestone": milestone.name,
        "projected": milestone.projected_date,
        "confirmed": entry.notification_date,
        "difference": (
            (entry.notification_date - milestone.projected_date).days
            if milestone.projected_date
            else None
        ),
        "detail": entry.notification_type,
    }


def _worklist_slug(request: HttpRequest) -> str:
    slug = request.GET.get("list", "")
    return slug if slug in worklists.WORKLISTS else worklists.LATE.slug


@permission_required(WORKLISTS, raise_exception=True)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    slug = _worklist_slug(request)
    today = timezone.localdate()
    form = WorklistFilterForm(request.GET or None, teams=teams_for(request.user))
    page, query = page_of(request, form.filter(worklists.entries(slug, request.user, today=today)))
    page.rows[:] = [_worklist_row(slug, entry) for entry in page.rows]
    chosen = worklists.WORKLISTS[slug]
    return render(
        request,
        template_for(request, "reconciliation/worklist.html", "worklist-results"),
        {
            "form": form,
            "page": page,
            "query": query,
            "worklist": chosen,
            "explanation": chosen.explanation.format(
                late_weeks=settings.DWP_LATE_WEEKS, missing_days=settings.DWP_MISSING_DAYS
            ),
            "tabs": _tabs(request.user, today),
            "list_field": [("list", slug)],
        },
    )


def _tabs(user, today) -> list:
    counts = worklists.counts(user, today=today)
    return [(item, counts[item.slug]) for item in worklists.WORKLISTS.values()]


WORKLIST_HEADER = [
    "participant_reference", "participant", "team", "programme", "milestone",
    "projected_date", "dwp_confirmed_date", "difference_days", "detail",
]  # fmt: skip


@permission_required(WORKLISTS, raise_exception=True)
@require_GET
def worklist_export(request: HttpRequest) -> HttpResponse:
    slug = _worklist_slug(request)
    form = WorklistFilterForm(request.GET or None, teams=teams_for(request.user))
    rows = [
        _worklist_row(slug, entry)
        for entry in form.filter(worklists.entries(slug, request.user, today=timezone.localdate()))
    ]
    record_export(request, {row["participant"].pk for row in rows})
    return csv_download(
        f"dwp-{slug}-{timezone.localdate():%Y-%m-%d}.csv",
        WORKLIST_HEADER,
        (
            [
                row["participant"].reference,
                row["participant"].full_name,
                row["participant"].team,
                row["participant"].programme,
                row["milestone"],
                row["projected"] or "",
                row["confirmed"] or "",
                "" if row["difference"] is None else row["difference"],
                row["detail"],
            ]
            for row in rows
        ),
    )

"""The work queue of unmatched rows: filter, export, and resolve each by linking it to a
participant or dismissing it with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import template_for
from common.pagination import page_of
from common.spreadsheets import csv_download
from participants.access_log import record_export
from reconciliation.access import may_see, team_ids_of
from reconciliation.forms import DismissForm, LinkForm, QueueFilterForm, unmatched_rows
from reconciliation.models import ImportedRow
from reconciliation.services import ResolutionRefused, dismiss_row, link_row
from reconciliation.views import PERMISSION


def with_proposals(request: HttpRequest, rows) -> list[ImportedRow]:
    """The rows, each with ``shown_proposal``: its proposed participant if the user may
    see them."""
    teams = team_ids_of(request.user)
    rows = list(rows)
    for row in rows:
        row.shown_proposal = (
            row.proposed_participant if may_see(teams, row.proposed_participant) else None
        )
    return rows


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    rows = form.filter(unmatched_rows()).select_related(
        "notification_import", "proposed_participant"
    )
    page, query = page_of(request, rows.order_by("-notification_import__uploaded_at", "line"))
    page.rows[:] = with_proposals(request, page.rows)
    open_rows = unmatched_rows()
    return render(
        request,
        template_for(request, "reconciliation/queue.html", "queue-results"),
        {
            "form": form,
            "page": page,
            "query": query,
            "open_count": open_rows.count(),
            "proposal_count": open_rows.filter(proposed_participant__isnull=False).count(),
        },
    )


QUEUE_HEADER = [
    "file", "line", "po_number", "nino", "surname", "date_of_birth", "programme",
    "notification_type", "date_created", "notification_date", "message", "possible_match",
]  # fmt: skip


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def queue_export(request: HttpRequest) -> HttpResponse:
    """The filtered queue as CSV that opens safely in a spreadsheet."""
    form = QueueFilterForm(request.GET or None)
    rows = with_proposals(
        request,
        form.filter(unmatched_rows())
        .select_related("notification_import", "proposed_participant")
        .order_by("-notification_import__uploaded_at", "line"),
    )
    record_export(request, {row.shown_proposal.pk for row in rows if row.shown_proposal})
    return csv_download(
        f"unmatched-dwp-notifications-{timezone.localdate():%Y-%m-%d}.csv",
        QUEUE_HEADER,
        (
            [
                row.notification_import.file_name,
                row.line,
                row.po_number,
                row.nino,
                row.surname,
                row.date_of_birth,
                row.programme_name,
                row.notification_type,
                row.date_created,
                row.notification_date,
                row.message,
                row.shown_proposal.reference if row.shown_proposal else "",
            ]
            for row in rows
        ),
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an unmatched row to a participant (it is then applied as a match) or dismiss
    it with a reason."""
    row = get_object_or_404(
        unmatched_rows().select_related("notification_import", "proposed_participant"), pk=pk
    )
    (row,) = with_proposals(request, [row])
    link_form = LinkForm(user=request.user, initial={
        "reference": row.shown_proposal.reference if row.shown_proposal else ""
    })  # fmt: skip
    dismiss_form = DismissForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "link":
                link_form = LinkForm(request.POST, user=request.user)
                if link_form.is_valid():
                    participant = link_form.cleaned_data["reference"]
                    link_row(row, participant=participant, linked_by=request.user)
                    messages.success(request, f"Line {row.line} linked to {participant.full_name}.")
                    return redirect("reconciliation:queue")
            elif action == "dismiss":
                dismiss_form = DismissForm(request.POST)
                if dismiss_form.is_valid():
                    dismiss_row(
                        row, reason=dismiss_form.cleaned_data["reason"], dismissed_by=request.user
                    )
                    messages.success(request, f"Line {row.line} dismissed.")
                    return redirect("reconciliation:queue")
        except ResolutionRefused as refusal:
            (link_form if action == "link" else dismiss_form).add_error(None, str(refusal))
    return render(
        request,
        "reconciliation/resolve.html",
        {"row": row, "link_form": link_form, "dismiss_form": dismiss_form},
    )

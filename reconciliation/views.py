"""The reconciliation pages, for Supervisors: upload a DWP notification file, preview
what each row would do, apply it; the files imported and their rows as imported; and
the work queue of unmatched rows (link to a participant, or dismiss with a reason)."""

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
from jobs.models import Job
from milestones.models import ParticipantMilestone
from participants.access import participants_for, teams_for
from participants.access_log import record_access, record_export
from reconciliation import worklists
from reconciliation.access import may_see, team_ids_of, visible_rows
from reconciliation.files import MAX_ROWS, FileRefused
from reconciliation.forms import (
    CloseConflictForm,
    DebitForm,
    DismissForm,
    LinkForm,
    QueueFilterForm,
    UploadForm,
    WorklistFilterForm,
    unmatched_rows,
)
from reconciliation.models import DwpNotification, ImportedRow, NotificationImport
from reconciliation.services import (
    ImportRefused,
    PaymentRefused,
    ResolutionRefused,
    apply_import,
    dismiss_row,
    link_row,
    mark_reconciled,
    preview_file,
    record_debit,
    standard_mapping,
)
from reconciliation.tasks import APPLY_JOB, start_applying

PERMISSION = "reconciliation.import_notifications"
# Supervisors and Compliance officers: the worklists, not the files.
WORKLISTS = "reconciliation.view_worklists"
State = ImportedRow.State


def _state_counts(notification_import: NotificationImport) -> list[tuple[str, str, int]]:
    return [(state.value, state.label, notification_import.count(state.value)) for state in State]


def _with_proposals(request: HttpRequest, rows) -> list[ImportedRow]:
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
def import_list(request: HttpRequest) -> HttpResponse:
    imports = NotificationImport.objects.select_related("uploaded_by", "applied_by").defer(
        "content"
    )
    page, query = page_of(request, imports)
    return render(
        request,
        "reconciliation/import_list.html",
        {"page": page, "query": query, "states": State.choices},
    )


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    standard_mapping()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                notification_import = preview_file(
                    data=b"".join(upload_file.chunks()),
                    file_name=upload_file.name,
                    mapping=form.cleaned_data["mapping"],
                    uploaded_by=request.user,
                    max_rows=MAX_ROWS,
                )
            except FileRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                return redirect("reconciliation:import_detail", pk=notification_import.pk)
    else:
        form = UploadForm(initial={"mapping": standard_mapping()})
    return render(request, "reconciliation/upload.html", {"form": form})


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A file's preview (before it is applied) or its rows as imported (after)."""
    notification_import = get_object_or_404(
        NotificationImport.objects.select_related("uploaded_by", "applied_by", "mapping").defer(
            "content"
        ),
        pk=pk,
    )
    refusal = ""
    applied = notification_import.status == NotificationImport.Status.APPLIED
    applying = None if applied else _applying_job(notification_import)
    if request.method == "POST" and applying:
        return redirect("jobs:detail", pk=applying.pk)
    if request.method == "POST" and notification_import.row_count > settings.DWP_BACKGROUND_ROWS:
        if applied:
            refusal = f"{notification_import.file_name} has already been applied."
        else:
            job = start_applying(notification_import, started_by=request.user)
            return redirect("jobs:detail", pk=job.pk)
    elif request.method == "POST":
        try:
            apply_import(notification_import, applied_by=request.user)
        except ImportRefused as error:
            refusal = str(error)
            notification_import.refresh_from_db()
        else:
            applied = notification_import.applied_count
            messages.success(
                request,
                f"{notification_import.file_name} applied: {applied:,} notification"
                f"{'' if applied == 1 else 's'} recorded.",
            )
            return redirect("reconciliation:import_detail", pk=notification_import.pk)
    state = request.GET.get("state", "")
    rows = notification_import.rows.select_related("participant", "proposed_participant")
    if state in State.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    page, query = page_of(request, visible_rows(request.user, rows))
    page.rows[:] = _with_proposals(request, page.rows)
    return render(
        request,
        template_for(request, "reconciliation/import_detail.html", "row-results"),
        {
            "notification_import": notification_import,
            "counts": _state_counts(notification_import),
            "state": state,
            "page": page,
            "query": query,
            "refusal": refusal,
            "applied_count": notification_import.applied_count,
            "applying": applying,
        },
    )


def _applying_job(notification_import: NotificationImport) -> Job | None:
    """The job applying this (previewed) file, while it is queued or running."""
    return (
        Job.objects.filter(
            kind=APPLY_JOB,
            parameters__import=notification_import.pk,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        )
        .order_by("-pk")
        .first()
    )


@permission_required(PERMISSION, raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    rows = form.filter(unmatched_rows()).select_related(
        "notification_import", "proposed_participant"
    )
    page, query = page_of(request, rows.order_by("-notification_import__uploaded_at", "line"))
    page.rows[:] = _with_proposals(request, page.rows)
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
    rows = _with_proposals(
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
    (row,) = _with_proposals(request, [row])
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


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant milestone's payment from DWP: what DWP's file said, marking it
    Reconciled, and debits (clawback) with their reasons."""
    milestone = get_object_or_404(
        ParticipantMilestone.objects.filter(
            participant__in=participants_for(request.user)
        ).select_related("participant"),
        pk=pk,
    )
    record_access(request, milestone.participant)
    notification = (
        DwpNotification.objects.filter(participant_milestone=milestone)
        .select_related("reconciled_by", "source_import")
        .first()
    )
    debit_form = DebitForm()
    refusal = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reconcile" and notification:
                mark_reconciled(notification, reconciled_by=request.user)
                messages.success(request, "The payment is marked Reconciled.")
                return redirect("reconciliation:payments", pk=milestone.pk)
            if request.POST.get("action") == "debit":
                debit_form = DebitForm(request.POST)
                if debit_form.is_valid():
                    debit = record_debit(
                        milestone=milestone, recorded_by=request.user, **debit_form.cleaned_data
                    )
                    messages.success(request, f"A debit of £{debit.amount:,} is recorded.")
                    return redirect("reconciliation:payments", pk=milestone.pk)
        except PaymentRefused as error:
            refusal = str(error)
    return render(
        request,
        "reconciliation/payments.html",
        {
            "milestone": milestone,
            "participant": milestone.participant,
            "notification": notification,
            "debits": milestone.dwp_debits.select_related("recorded_by"),
            "debit_form": debit_form,
            "refusal": refusal,
        },
    )

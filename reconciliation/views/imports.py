"""Importing a DWP notification file: upload it, preview what each row would do,
apply it (in the request, or by a job for a large file); the files imported and their
rows as imported."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import template_for
from common.pagination import page_of
from jobs.models import Job
from reconciliation.access import visible_rows
from reconciliation.files import MAX_ROWS, FileRefused
from reconciliation.forms import UploadForm
from reconciliation.models import NotificationImport
from reconciliation.services import ImportRefused, apply_import, preview_file, standard_mapping
from reconciliation.tasks import APPLY_JOB, start_applying
from reconciliation.views import PERMISSION, State
from reconciliation.views.queue import with_proposals


def _state_counts(notification_import: NotificationImport) -> list[tuple[str, str, int]]:
    return [(state.value, state.label, notification_import.count(state.value)) for state in State]


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
    page.rows[:] = with_proposals(request, page.rows)
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

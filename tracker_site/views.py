"""Views that belong to no app: the home redirect, the health check and the
subject-access export (which needs every app's models)."""

import logging

from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from participants.access import get_participant_for
from participants.access_log import Kind, record_access
from tracker_site.privacy.subject_access import export_subject_access

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("participants:list")


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@permission_required("participants.export_subject_access", raise_exception=True)
@require_GET
def subject_access_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the participant, as a ZIP; the export is itself logged."""
    participant = get_participant_for(request.user, pk)
    record_access(request, participant, Kind.SUBJECT_ACCESS)
    try:
        archive = export_subject_access(participant=participant, exported_by=request.user)
    except OSError:
        # The evidence could not be read (common.storage.StorageUnavailable, a failed disk):
        # no export rather than one without the files.
        logger.exception("Could not read the evidence of participant %s to export", pk)
        return HttpResponse(
            "The evidence files could not be fetched just now, so nothing was exported. Try "
            "again in a few minutes, and tell your administrator if it keeps happening.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    name = f"subject-access-{participant.reference}-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(
        archive, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response

"""A tracker's evidence documents: upload, download and delete.

Files are only ever served from here, after the same team check as every other page:
there is no URL for the media folder, and an object store gives none (common.storage).
The file is read through the storage API, so it streams from either.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import Event, saved, template_for
from participants.access_log import Kind, record_access
from trackers.access import get_document_for, get_tracker_for
from trackers.document_forms import DocumentUploadForm
from trackers.models import Tracker
from trackers.services import add_evidence, delete_evidence

logger = logging.getLogger(__name__)


def _tracker_url(tracker: Tracker) -> str:
    return reverse(
        "trackers:detail", kwargs={"participant_pk": tracker.participant_id, "pk": tracker.pk}
    )


@permission_required("trackers.add_evidencedocument", raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    tracker = get_tracker_for(request.user, participant_pk, pk)
    record_access(request, tracker.participant)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
    else:
        form = DocumentUploadForm()
    if form.is_valid():
        try:
            documents = add_evidence(
                tracker=tracker,
                uploads=form.cleaned_data["files"],
                kind=form.cleaned_data["kind"],
                uploaded_by=request.user,
            )
        except OSError:
            logger.exception("Could not store evidence files for tracker %s", tracker.pk)
            form.add_error(
                None,
                "The files could not be saved, so nothing was uploaded. Try again in a few "
                "minutes, and tell your administrator if it keeps happening.",
            )
        else:
            names = ", ".join(document.original_name for document in documents)
            messages.success(request, f"Uploaded {names}.")
            return saved(
                request, events={Event.DOCUMENTS_CHANGED: {}}, redirect_to=_tracker_url(tracker)
            )
    return render(
        request,
        template_for(request, "trackers/document_upload.html", "dialog"),
        {
            "participant": tracker.participant,
            "tracker": tracker,
            "form": form,
            "title": f"Upload evidence for {tracker}",
        },
    )


@permission_required("trackers.view_evidencedocument", raise_exception=True)
@require_GET
def document_download(
    request: HttpRequest, participant_pk: int, pk: int, document_pk: int
) -> HttpResponse:
    document = get_document_for(request.user, participant_pk, pk, document_pk)
    record_access(request, document.tracker.participant, Kind.DOWNLOADED)
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Evidence document %s is missing its stored file %s", document.pk, document.file.name
        )
        raise Http404("The file of this document is missing.") from None
    except OSError:
        # The store is down or refused (common.storage.StorageUnavailable), or a disk failed.
        logger.exception("Could not read the stored file of evidence document %s", document.pk)
        return HttpResponse(
            "The file could not be fetched just now. Try again in a few minutes, and tell "
            "your administrator if it keeps happening.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    # ?inline=1 shows it in the review page (a frame of this site only); otherwise the
    # browser saves it. Either way it is never run as a page of this site: its type is
    # the checked one (PDF, JPEG, PNG), never sniffed, and it may load nothing else.
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        file,
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    if inline:
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@permission_required("trackers.delete_evidence", raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_delete(
    request: HttpRequest, participant_pk: int, pk: int, document_pk: int
) -> HttpResponse:
    document = get_document_for(request.user, participant_pk, pk, document_pk)
    tracker = document.tracker
    record_access(request, tracker.participant)
    if request.method == "POST":
        delete_evidence(document=document, deleted_by=request.user)
        messages.success(request, f"Deleted {document.original_name}.")
        return saved(
            request, events={Event.DOCUMENTS_CHANGED: {}}, redirect_to=_tracker_url(tracker)
        )
    return render(
        request,
        template_for(request, "trackers/document_delete.html", "dialog"),
        {
            "participant": tracker.participant,
            "tracker": tracker,
            "document": document,
            "title": f"Delete {document.original_name}?",
        },
    )

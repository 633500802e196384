"""The pages for importing referrals from a CSV file: upload, then preview and confirm."""

from itertools import islice
from pathlib import PurePath

from django import forms
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jobs.services import start_job
from participants.imports import (
    COLUMNS,
    ImportRefused,
    decode_csv,
    preview_import,
    read_csv,
    start_import,
)
from participants.models import ParticipantImport
from participants.tasks import import_referrals

MAX_FILE_SIZE = 10 * 1024 * 1024
# Each row is checked as the add form checks it (about a millisecond), on the preview and
# again by the job that imports the file; more rows than this would make the preview
# outlast a web request. The import_participants command has no limit.
MAX_ROWS = 10_000
# A preview lists every row of a small file, but only the first problems of a large one.
MAX_ROWS_SHOWN = 200


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A CSV file saved as UTF-8, at most 10 MB and {MAX_ROWS:,} rows. "
        f"The first row names the columns: {', '.join(COLUMNS)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose a CSV file to import.",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in {".csv", ".txt"}:
            raise forms.ValidationError("The file must be a CSV file (ending .csv).")
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError("The file must be smaller than 10 MB.")
        try:
            text = decode_csv(b"".join(upload.chunks()))
            rows = read_csv(text)
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        if len(rows) > MAX_ROWS:
            raise forms.ValidationError(
                f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} can be imported "
                "here. Split it into smaller files."
            )
        self.cleaned_data["text"] = text
        return upload


def _imports_of(user: AbstractBaseUser) -> QuerySet[ParticipantImport]:
    """A file is only ever seen by the person who uploaded it."""
    return ParticipantImport.objects.filter(uploaded_by=user)


def _preview_context(participant_import: ParticipantImport, user: AbstractBaseUser) -> dict:
    """The preview of a file not yet imported: totals, and the rows worth showing."""
    if participant_import.imported_at:
        return {}
    try:
        preview = preview_import(content=participant_import.content, importer=user)
    except ImportRefused as refusal:
        return {"refusal": str(refusal)}
    if preview.total <= MAX_ROWS_SHOWN:
        rows = list(preview.rows)
    else:
        rows = list(islice(preview.problem_rows, MAX_ROWS_SHOWN))
    return {"preview": preview, "rows": rows}


@permission_required("participants.import_participants", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ParticipantImportForm(request.POST, request.FILES)
        if form.is_valid():
            participant_import = start_import(
                file_name=form.cleaned_data["file"].name,
                content=form.cleaned_data["text"],
                uploaded_by=request.user,
            )
            return redirect("participants:import_preview", pk=participant_import.pk)
    else:
        form = ParticipantImportForm()
    return render(request, "participants/import_upload.html", {"form": form})


@permission_required("participants.import_participants", raise_exception=True)
@require_http_methods(["GET", "POST"])
def participant_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview; confirming it starts the job that imports the file (checking every
    row again takes longer than a request may) and shows the job's page."""
    participant_import = get_object_or_404(_imports_of(request.user), pk=pk)
    refusal = ""
    if request.method == "POST":
        if participant_import.imported_at:
            refusal = f"{participant_import.file_name} has already been imported."
        else:
            job = start_job(
                task=import_referrals,
                kind="participants_import",
                title=f"Import of {participant_import.file_name}"[:200],
                started_by=request.user,
                parameters={
                    "import": participant_import.pk,
                    "done_link": {
                        "url": reverse("participants:list"),
                        "text": "Go to participants",
                    },
                },
            )
            return redirect("jobs:detail", pk=job.pk)
    context = {
        "participant_import": participant_import,
        **_preview_context(participant_import, request.user),
    }
    if refusal:
        context["refusal"] = refusal
    return render(request, "participants/import_preview.html", context)

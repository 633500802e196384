"""The subject-access export (UK GDPR Art. 15): everything held on one participant, as a
ZIP of ``record.json`` (every row of every model, history included) and the participant's
evidence files.

Claim exports are files of many participants: only this participant's lines of each are
included, never the others'.
"""

import csv
import io
import json
import shutil
import tempfile
import zipfile

from django.contrib.auth.models import AbstractBaseUser
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import get_valid_filename

from milestones.models import ParticipantMilestone
from participants.models import Participant
from reviews.models import ClaimExport
from tracker_site.privacy.held import held_on
from trackers.models import EvidenceDocument

# Kept in memory up to this size, then on disk: evidence can run to many megabytes.
IN_MEMORY = 10 * 1024 * 1024
CHUNK_SIZE = 64 * 1024


def export_subject_access(*, participant: Participant, exported_by: AbstractBaseUser):
    """A ZIP file (open, at its start) holding everything held on the participant."""
    held = held_on(participant)
    record = {
        "participant": participant.reference,
        "exported_at": timezone.now(),
        "exported_by": exported_by.get_username(),
        "models": {
            model._meta.label_lower: serializers.serialize("python", rows.order_by("pk"))
            for model, rows in held.items()
        },
        "claim_exports": _claim_export_lines(participant),
        "evidence_files": [],
        "missing_files": [],
    }
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (returned open)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for document in held[EvidenceDocument].order_by("pk"):
            name = f"evidence/{document.pk}-{get_valid_filename(document.original_name)}"
            try:
                # Through the storage API (local folder or object store), a chunk at a time.
                with document.file.open("rb") as stored, zip_file.open(name, "w") as entry:
                    shutil.copyfileobj(stored, entry, CHUNK_SIZE)
            except FileNotFoundError:
                record["missing_files"].append(document.file.name)
            else:
                record["evidence_files"].append(name)
        zip_file.writestr("record.json", json.dumps(record, cls=DjangoJSONEncoder, indent=2))
    archive.seek(0)
    return archive


def _claim_export_lines(participant: Participant) -> list[dict]:
    """Each claim export that held one of the participant's milestones: when, by whom,
    and the participant's own lines of it (the reference is its first column)."""
    milestone_ids = set(
        ParticipantMilestone.history.filter(participant_id=participant.pk).values_list(
            "id", flat=True
        )
    )
    found = []
    for export in ClaimExport.objects.select_related("created_by").defer("content").order_by("pk"):
        if not milestone_ids.intersection(export.milestone_ids):
            continue
        header, *rows = csv.reader(io.StringIO(export.content.lstrip("\ufeff")))
        found.append(
            {
                "id": export.pk,
                "created_at": export.created_at,
                "created_by": export.created_by.get_username(),
                "columns": header,
                "rows": [row for row in rows if row and row[0] == participant.reference],
            }
        )
    return found

"""Forms of the evidence document pages."""

from django import forms

from trackers.evidence import EvidenceFilesField
from trackers.models import EvidenceDocument


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document type",
        choices=[("", "Choose a document type"), *EvidenceDocument.Kind.choices],
    )
    files = EvidenceFilesField(label="Files", required=True)

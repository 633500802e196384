"""Forms of the evidence document pages."""

from django import forms

from trackers.evidence import EvidenceFilesField
from trackers.models import EvidenceDocument


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document type",
        choices=[("", "Choose a document type"), *EvidenceDocument.Kind.choices],
        error_messages={
            "required": "Choose the type of document.",
            "invalid_choice": "Choose a document type from the list.",
        },
    )
    files = EvidenceFilesField(label="Files", required=True)

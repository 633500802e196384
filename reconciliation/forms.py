"""The forms of the reconciliation pages: the upload, the work queue's filters, and
linking or dismissing an unmatched row."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from common.forms import DateField, FilterChoiceField
from participants.access import participants_for
from participants.models import Participant
from programmes.models import Programme
from reconciliation.files import MAX_FILE_SIZE, MAX_ROWS
from reconciliation.models import ColumnMapping, Debit, ImportedRow, NotificationImport


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Notification file",
        help_text=f"The RTE notification file from PRaP, as .xlsx or as CSV saved as UTF-8; "
        f"at most 10 MB and {MAX_ROWS:,} rows (manage.py import_dwp_notifications takes "
        "larger files).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={"required": "Choose a file to import.", "empty": "The file is empty."},
    )
    mapping = forms.ModelChoiceField(
        ColumnMapping.objects.all(),
        label="Column mapping",
        help_text="How your contract's export names its columns.",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a column mapping from the list."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:,.0f} MB; it must be smaller than "
                "10 MB. Split it, or ask for it to be imported with manage.py "
                "import_dwp_notifications."
            )
        return upload


class QueueFilterForm(forms.Form):
    notification_import = FilterChoiceField(
        NotificationImport.objects.filter(status=NotificationImport.Status.APPLIED),
        choose="a file",
        label="File",
    )
    proposal = forms.ChoiceField(
        label="Possible match",
        required=False,
        choices=[("", "All"), ("yes", "With a possible match"), ("no", "Without")],
        error_messages={"invalid_choice": "Choose from the list."},
    )

    def filter(self, queryset):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("notification_import"):
            queryset = queryset.filter(notification_import=data["notification_import"])
        if data.get("proposal") == "yes":
            queryset = queryset.filter(proposed_participant__isnull=False)
        elif data.get("proposal") == "no":
            queryset = queryset.filter(proposed_participant__isnull=True)
        return queryset


class LinkForm(forms.Form):
    reference = forms.CharField(
        label="Participant reference",
        max_length=30,
        help_text="The participant's reference on the tracker, e.g. RS000123.",
        error_messages={"required": "Enter the reference of the participant to link."},
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self) -> Participant:
        reference = self.cleaned_data["reference"].strip()
        participant = (
            participants_for(self.user)
            .select_related("programme")
            .filter(reference__iexact=reference)
            .first()
        )
        if participant is None:
            raise forms.ValidationError(
                f"There is no participant with the reference “{reference}” in your teams."
            )
        return participant


def _reason(label: str, *, example: str, required: str) -> forms.CharField:
    """Why a row of a DWP file is closed by hand (kept with the row)."""
    return forms.CharField(
        label=label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"For example: {example}",
        error_messages={"required": required},
    )


class DismissForm(forms.Form):
    reason = _reason(
        "Reason for dismissing",
        example="not our participant, or a test record.",
        required="Give the reason for dismissing the row.",
    )


class CloseConflictForm(forms.Form):
    reason = _reason(
        "What was done",
        example="start date corrected in PRaP, or DWP asked to withdraw it.",
        required="Say what was done about the conflict.",
    )


def unmatched_rows():
    """The open unmatched rows of applied files (the work queue); they have no
    participant yet, so every Supervisor may see them."""
    return ImportedRow.objects.filter(
        state=ImportedRow.State.UNMATCHED,
        resolution="",
        notification_import__status=NotificationImport.Status.APPLIED,
    )


class WorklistFilterForm(forms.Form):
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    team = FilterChoiceField(None, choose="a team")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filter(self, queryset):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("programme"):
            queryset = queryset.filter(participant__programme=data["programme"])
        if data.get("team"):
            queryset = queryset.filter(participant__team=data["team"])
        return queryset


class DebitForm(forms.ModelForm):
    class Meta:
        model = Debit
        fields = ["amount", "debited_on", "reference", "reason"]
        field_classes = {"debited_on": DateField}
        # Text, not a number input: what a browser cannot read is explained, not dropped.
        widgets = {
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "amount": "In pounds, for example 1250.00.",
            "reason": "For example: clawback after validation found no evidence of earnings.",
        }
        error_messages = {
            "amount": {
                "required": "Enter the amount debited.",
                "invalid": "Enter the amount as a sum in pounds, like 1250.00.",
                "max_digits": "Enter an amount of less than £100,000,000.",
                "max_whole_digits": "Enter an amount of less than £100,000,000.",
                "max_decimal_places": "Enter the amount to the penny (2 decimal places).",
            },
            "reason": {"required": "Give the reason for the debit."},
        }

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError("The amount debited must be more than £0.")
        return amount

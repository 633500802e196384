"""The Milestones page filters and the claim form."""

import datetime

from django import forms

from common.forms import DateField
from milestones.models import ParticipantMilestone
from programmes.models import Programme


class MilestoneFilterForm(forms.Form):
    # A shared or bookmarked link can hold what is no longer a choice.
    status = forms.ChoiceField(
        choices=[("", "Any"), *ParticipantMilestone.Status.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    claim_status = forms.ChoiceField(
        label="Claim",
        choices=[("", "Any"), *ParticipantMilestone.ClaimStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a claim status from the list."},
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        required=False,
        empty_label="All",
        error_messages={"invalid_choice": "Choose a programme from the list."},
    )
    team = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All",
        error_messages={"invalid_choice": "Choose a team from the list."},
    )
    due_within = forms.IntegerField(
        label="Due within (days)",
        required=False,
        min_value=0,
        max_value=3650,
        # Text, so that what cannot be read as days is reported rather than dropped.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a number of days, like 30.",
            "min_value": "Enter a number of days from 0 to 3650.",
            "max_value": "Enter a number of days from 0 to 3650.",
        },
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filter(self, queryset, *, today: datetime.date):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for name in ("status", "claim_status"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("programme"):
            queryset = queryset.filter(participant__programme=data["programme"])
        if data.get("team"):
            queryset = queryset.filter(participant__team=data["team"])
        if data.get("due_within") is not None:
            queryset = queryset.due_within(data["due_within"], today=today)
        return queryset


class ClaimForm(forms.ModelForm):
    class Meta:
        model = ParticipantMilestone
        fields = ["claim_status", "paid_date", "payment_reference"]
        error_messages = {
            "claim_status": {
                "required": "Choose the claim status.",
                "invalid_choice": "Choose a claim status from the list.",
            },
            "payment_reference": {
                "max_length": "Payment reference must be %(limit_value)d characters or fewer.",
            },
        }
        field_classes = {"paid_date": DateField}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim_status") == ParticipantMilestone.ClaimStatus.PAID and not cleaned.get(
            "paid_date"
        ):
            self.add_error("paid_date", "Enter the date it was paid.")
        return cleaned

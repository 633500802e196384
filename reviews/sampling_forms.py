"""The QA sampling forms: drawing a sample (how much, the seed, and which approved
trackers) and recording one sampled tracker's result."""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet

from common.forms import DateField, FilterChoiceField
from programmes.models import Programme
from reviews.models import QaSampleItem
from trackers.models import Tracker

PERCENT_RANGE = "Enter a percentage more than 0 and no more than 100."
# random.Random takes any integer; the model keeps it in a signed 64-bit column.
MAX_SEED = 2**63 - 1
SEED_RANGE = f"Enter a seed from 0 to {MAX_SEED:,}."


class SampleDrawForm(forms.Form):
    percent = forms.DecimalField(
        label="Percentage to sample",
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        error_messages={
            **dict.fromkeys(("required", "invalid", "min_value", "max_value"), PERCENT_RANGE),
            "max_decimal_places": "Enter the percentage to no more than 2 decimal places.",
        },
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        help_text="Leave blank for a random one. The seed is recorded: the same seed and "
        "the same trackers draw the same sample again.",
        error_messages={
            "invalid": "Enter the seed as a whole number, like 42.",
            "min_value": SEED_RANGE,
            "max_value": SEED_RANGE,
        },
    )
    team = FilterChoiceField(None, choose="a team")
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    started_from = DateField(
        label="Started on or after", required=False, noun="The earliest start date"
    )
    started_to = DateField(
        label="Started on or before", required=False, noun="The latest start date"
    )

    def __init__(self, *args, teams: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self):
        cleaned = super().clean()
        started_from, started_to = cleaned.get("started_from"), cleaned.get("started_to")
        if started_from and started_to and started_to < started_from:
            self.add_error("started_to", "Enter a date on or after the first date.")
        return cleaned

    def narrow(self, trackers: QuerySet[Tracker]) -> QuerySet[Tracker]:
        """The trackers that match the form's filters (call once the form is valid)."""
        data = self.cleaned_data
        if data["team"]:
            trackers = trackers.filter(participant__team=data["team"])
        if data["programme"]:
            trackers = trackers.filter(participant__programme=data["programme"])
        if data["started_from"]:
            trackers = trackers.filter(start_date__gte=data["started_from"])
        if data["started_to"]:
            trackers = trackers.filter(start_date__lte=data["started_to"])
        return trackers

    def filters(self) -> dict:
        """The filters given, as plain JSON in the form's own field names and values, so
        the draw can be repeated."""
        data = self.cleaned_data
        values = {
            "team": data["team"].pk if data["team"] else None,
            "programme": data["programme"].pk if data["programme"] else None,
            "started_from": data["started_from"].isoformat() if data["started_from"] else None,
            "started_to": data["started_to"].isoformat() if data["started_to"] else None,
        }
        return {name: value for name, value in values.items() if value is not None}


class SampleResultForm(forms.Form):
    """One sampled tracker's result; give each item's form its own ``prefix``."""

    result = forms.ChoiceField(
        choices=[
            ("", "Choose"),
            (QaSampleItem.Result.PASSED, QaSampleItem.Result.PASSED.label),
            (QaSampleItem.Result.FAILED, QaSampleItem.Result.FAILED.label),
        ],
        error_messages=dict.fromkeys(("required", "invalid_choice"), "Choose Passed or Failed."),
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the check failed: what was wrong.",
        error_messages={"max_length": "Note must be %(limit_value)d characters or fewer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required when Failed, which clean() checks: not marked "(optional)".
        self.fields["note"].conditionally_required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == QaSampleItem.Result.FAILED and not cleaned.get("note"):
            self.add_error("note", "Enter a note saying what failed.")
        return cleaned

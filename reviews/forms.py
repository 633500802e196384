"""The review queue's filters, the decision form and the bulk reassignment."""

import datetime

from django import forms
from django.db.models import QuerySet

from common.forms import FilterChoiceField, PlainTextForm, StaffChoiceField
from programmes.models import Programme
from reviews.models import Decision, ReviewReason
from reviews.queue import ORDERINGS
from trackers.models import Tracker

WAITING_RANGE = "Enter a number of days from 0 to 3650."
CHOOSE_REVIEWER = "Choose a reviewer from the list."


class QueueFilterForm(forms.Form):
    # A shared or bookmarked link can hold what is no longer a choice.
    team = FilterChoiceField(None, choose="a team")
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    type = forms.ChoiceField(
        choices=[("", "Any"), *Tracker.Type.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a type from the list."},
    )
    employer = forms.CharField(
        label="Employer",
        required=False,
        max_length=200,
        help_text="Part of the name.",
        error_messages={"max_length": "Employer must be %(limit_value)d characters or fewer."},
    )
    waiting = forms.IntegerField(
        label="Waiting at least (days)",
        required=False,
        min_value=0,
        max_value=3650,
        error_messages={
            "invalid": "Enter a number of days, like 30.",
            "min_value": WAITING_RANGE,
            "max_value": WAITING_RANGE,
        },
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[("age", "Longest waiting"), ("milestone", "Next projected milestone")],
        required=False,
        error_messages={"invalid_choice": "Choose an order from the list."},
    )

    def __init__(self, *args, teams: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filter(self, trackers: QuerySet[Tracker], *, now: datetime.datetime) -> QuerySet[Tracker]:
        """Narrow by whatever valid criteria were given (and their order); ignore the rest."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("team"):
            trackers = trackers.filter(participant__team=data["team"])
        if data.get("programme"):
            trackers = trackers.filter(participant__programme=data["programme"])
        if data.get("type"):
            trackers = trackers.filter(type=data["type"])
        if data.get("employer"):
            trackers = trackers.filter(organisation__name__icontains=data["employer"])
        if data.get("waiting") is not None:
            trackers = trackers.filter(
                waiting_since__lte=now - datetime.timedelta(days=data["waiting"])
            )
        return trackers.order_by(*ORDERINGS[data.get("sort") or "age"])


class DecisionForm(PlainTextForm, forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision.",
            "invalid_choice": "Choose Approve, Reject or Request information.",
        },
    )
    reason = forms.ModelChoiceField(
        queryset=ReviewReason.objects.filter(active=True),
        required=False,
        empty_label="Choose a reason",
        help_text="Needed to reject or to request information.",
        # A reason can be retired while the page is open.
        error_messages={"invalid_choice": "That reason is no longer used: choose another."},
    )
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Note must be %(limit_value)d characters or fewer."},
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, tracker: Tracker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = tracker.version
        # Required to reject or request information, which clean() checks.
        self.fields["reason"].conditionally_required = True

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        # One message a field: a retired reason has already been reported.
        missing = not cleaned.get("reason") and "reason" not in self.errors
        if outcome and outcome != Decision.Outcome.APPROVED and missing:
            self.add_error(
                "reason",
                f"Choose the reason to {Decision.Outcome(outcome).label.lower()}, so that "
                "whoever corrects the tracker knows what to do.",
            )
        return cleaned


class ReassignForm(forms.Form):
    from_reviewer = StaffChoiceField(
        label="Move the open trackers of",
        queryset=None,
        empty_label="Choose a reviewer",
        error_messages={
            "required": "Choose the reviewer whose open trackers to move.",
            "invalid_choice": CHOOSE_REVIEWER,
        },
    )
    to_reviewer = StaffChoiceField(
        label="To",
        queryset=None,
        required=False,
        empty_label="Nobody (unassigned)",
        error_messages={"invalid_choice": CHOOSE_REVIEWER},
    )

    def __init__(self, *args, reviewers: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_reviewer"].queryset = reviewers
        self.fields["to_reviewer"].queryset = reviewers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_reviewer") and cleaned.get("from_reviewer") == cleaned.get(
            "to_reviewer"
        ):
            self.add_error("to_reviewer", "Choose someone else to give the trackers to.")
        return cleaned

"""The Milestones page filters, the claim form and a self-employed outcome's PRaP claim
forms."""

import dataclasses
import datetime

from django import forms
from django.db import models
from django.db.models import Q

from common.forms import DateField, FilterChoiceField, PlainTextForm
from common.pagination import Keyset
from milestones.models import ClaimAttempt, ParticipantMilestone
from programmes.models import Programme


class MilestoneFilterForm(forms.Form):
    class When(models.TextChoices):
        UPCOMING = "upcoming", "Today or later, soonest first"
        REACHED = "reached", "Before today, latest first"
        ANY = "any", "Any date, earliest first"

    # Opens on what is coming up, not on long-reached rows; each order is an index scan.
    when = forms.ChoiceField(
        label="Projected",
        choices=[("", "Upcoming, or reached for Achieved and claims"), *When.choices],
        required=False,
        error_messages={"invalid_choice": "Choose when they are projected from the list."},
    )
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
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    team = FilterChoiceField(None, choose="a team")
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

    field_order = ["status", "claim_status", "programme", "team", "due_within", "when"]

    # Each order's keyset, answered by the index on (projected_date, id).
    KEYSETS = {
        When.REACHED: Keyset(("projected_date", "id"), descending=True),
        When.UPCOMING: Keyset(("projected_date", "id"), nulls_last=True),
        When.ANY: Keyset(("projected_date", "id"), nulls_last=True),
    }

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.keyset = self.KEYSETS[self.When.ANY]  # until filter() says which order

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
        when = data.get("when") or self._default_when(data)
        self.keyset = self.KEYSETS[when]
        if when == self.When.UPCOMING:
            self.keyset = dataclasses.replace(self.keyset, least=today)
        return self._projected(queryset, when, today=today).order_by(*self.keyset.ordering())

    def _default_when(self, data) -> str:
        """Upcoming, unless the filters ask for milestones already reached (Achieved,
        Verified, or any claim): then the latest reached first."""
        reached = {ParticipantMilestone.Status.ACHIEVED, ParticipantMilestone.Status.VERIFIED}
        claimed = data.get("claim_status") not in (
            "",
            None,
            ParticipantMilestone.ClaimStatus.NOT_CLAIMED,
        )
        return self.When.REACHED if data.get("status") in reached or claimed else self.When.UPCOMING

    def _projected(self, queryset, when: str, *, today: datetime.date):
        """The rows projected when asked; their order is the keyset's."""
        if when == self.When.REACHED:
            return queryset.filter(projected_date__lt=today)
        if when == self.When.UPCOMING:
            # Not reachable (no date) is still to come: last.
            queryset = queryset.filter(Q(projected_date__gte=today) | Q(projected_date=None))
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


def _not_after(today: datetime.date, noun: str):
    def check(value: datetime.date | None) -> None:
        if value and value > today:
            raise forms.ValidationError(f"{noun} must be today or in the past.")

    return check


class ClaimSubmissionForm(forms.Form):
    """A claim submitted in PRaP. What the rules refuse (the deadline, the attempts left)
    is the service's to say; the form checks only that it is a date already passed."""

    submitted_on = DateField(label="Submitted in PRaP on", noun="The date it was submitted")

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["submitted_on"]
        field.initial = today
        field.validators.append(_not_after(today, "The date it was submitted"))


class ClaimOutcomeForm(PlainTextForm, forms.Form):
    outcome = forms.ChoiceField(
        label="What PRaP made of the claim",
        choices=[
            (ClaimAttempt.Outcome.ACCEPTED, ClaimAttempt.Outcome.ACCEPTED.label),
            (ClaimAttempt.Outcome.FAILED, ClaimAttempt.Outcome.FAILED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether PRaP accepted the claim or it failed.",
            "invalid_choice": "Choose Accepted or Failed.",
        },
    )
    failure_reason = forms.CharField(
        label="Reason it failed",
        required=False,
        max_length=2000,
        help_text="As PRaP gives it. Needed when the claim failed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Reason must be %(limit_value)d characters or fewer."},
    )
    recorded_on = DateField(
        label="PRaP answered on",
        noun="The date PRaP answered",
        error_messages={"required": "Enter the date PRaP answered."},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recorded_on"]
        field.initial = today
        field.validators.append(_not_after(today, "The date PRaP answered"))
        # Required when the claim failed, which clean() checks.
        self.fields["failure_reason"].conditionally_required = True

    def clean(self):
        cleaned = super().clean()
        failed = cleaned.get("outcome") == ClaimAttempt.Outcome.FAILED
        if (
            failed
            and not cleaned.get("failure_reason", "").strip()
            and "failure_reason" not in self.errors
        ):
            self.add_error("failure_reason", "Enter the reason PRaP gave for the claim failing.")
        return cleaned

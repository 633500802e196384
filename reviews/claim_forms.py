"""The Ready to claim filters and the choice of milestones to mark Claimed."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from common.forms import DateField, FilterChoiceField, id_or_none
from milestones.models import ParticipantMilestone
from programmes.models import Programme
from reviews.claims import ready_to_claim

NOT_READY = (
    "One or more of the selected milestones is no longer ready to claim (it has been "
    "claimed meanwhile, or is not in your teams). Nothing was marked: choose again."
)


class ClaimFilterForm(forms.Form):
    # A shared or bookmarked link can hold what is no longer a choice.
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    team = FilterChoiceField(None, choose="a team")
    projected_by = DateField(
        label="Projected on or before", required=False, noun="The latest projected date"
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filter(self, queryset):
        """The queryset narrowed by every valid criterion; invalid ones are ignored."""
        data = self._valid_data()
        if data.get("programme"):
            queryset = queryset.filter(participant__programme=data["programme"])
        if data.get("team"):
            queryset = queryset.filter(participant__team=data["team"])
        if data.get("projected_by"):
            queryset = queryset.filter(projected_date__lte=data["projected_by"])
        return queryset

    def applied(self) -> dict:
        """The valid criteria in use, as plain JSON (ids and ISO dates) to store."""
        data = self._valid_data()
        applied = {name: data[name].pk for name in ("programme", "team") if data.get(name)}
        if data.get("projected_by"):
            applied["projected_by"] = data["projected_by"].isoformat()
        return applied

    def _valid_data(self) -> dict:
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class MilestonesField(forms.ModelMultipleChoiceField):
    """Ids that no database row can have are refused before the query: ``pk__in`` with
    a number too large for the database fails instead of matching nothing."""

    def clean(self, value):
        if isinstance(value, list | tuple) and any(id_or_none(pk) is None for pk in value):
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super().clean(value)


class MarkClaimedForm(forms.Form):
    milestones = MilestonesField(
        queryset=None,
        error_messages={
            "required": "Select the milestones to mark as Claimed.",
            "invalid_choice": NOT_READY,
            "invalid_pk_value": NOT_READY,
        },
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestones"].queryset = ready_to_claim(user)

    def clean_milestones(self):
        chosen = self.cleaned_data["milestones"]
        if any(m.kind == ParticipantMilestone.Kind.SELF_EMPLOYMENT for m in chosen):
            raise ValidationError(
                "A self-employed outcome is claimed in PRaP: record its claim on its own "
                "page. Nothing was marked: choose again."
            )
        return chosen

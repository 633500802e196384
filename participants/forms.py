"""Forms for finding, adding and editing participants and for importing referrals."""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from common.forms import (
    DateField,
    DateInput,
    FilterChoiceField,
    HintedModelForm,
    PlainTextForm,
    SearchField,
    StaffChoiceField,
    active_staff,
)
from participants.access import teams_for
from participants.duplicates import refuse_a_duplicate
from participants.models import Participant, Team
from programmes.models import Programme

MINIMUM_AGE = 16


def advisers_for(teams: QuerySet[Team]) -> QuerySet:
    """Active staff in any of the given teams."""
    return active_staff(teams__in=teams)


class ParticipantSearchForm(forms.Form):
    # A shared or bookmarked link can hold what is no longer a choice (a team the user has
    # left, an adviser who has left) or a search longer than the box takes.
    q = SearchField(
        help_text="Name, reference, National Insurance number or postcode.",
        error_messages={"max_length": "Search must be %(limit_value)d characters or fewer."},
    )
    team = FilterChoiceField(Team.objects.none(), choose="a team")
    programme = FilterChoiceField(Programme.objects.all(), choose="a programme")
    adviser = StaffChoiceField(
        queryset=None,
        required=False,
        empty_label="All",
        error_messages={"invalid_choice": "Choose an adviser from the list."},
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["adviser"].queryset = advisers_for(teams)

    def filter(self, queryset: QuerySet[Participant]) -> QuerySet[Participant]:
        """Narrow the queryset by whatever valid criteria were given; ignore the rest."""
        # What is valid is used; what is not is ignored (and its error shown).
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            queryset = queryset.search(data["q"])
        for name in ("team", "programme", "adviser"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset


class ParticipantForm(PlainTextForm, HintedModelForm):
    adviser = StaffChoiceField(
        queryset=None,
        required=False,
        empty_label="No adviser",
        error_messages={"invalid_choice": "Choose an adviser from the list."},
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Participant
        fields = [
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "nino",
            "postcode",
            "email",
            "phone",
            "programme",
            "programme_start_date",
            "team",
            "adviser",
        ]
        field_classes = {"date_of_birth": DateField, "programme_start_date": DateField}
        widgets = {
            "date_of_birth": DateInput(autocomplete="bday", example="27 3 1985"),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "nino": "For example, AB 12 34 56 C.",
            "phone": "A UK number, for example 07912 345678.",
        }
        # Messages in the GOV.UK style: what to do, naming the field. Dates say only what
        # to do when missing.
        error_messages = {
            "reference": {
                "required": "Enter the reference.",
                "max_length": "Reference must be %(limit_value)d characters or fewer.",
            },
            "first_name": {
                "required": "Enter the first name.",
                "max_length": "First name must be %(limit_value)d characters or fewer.",
            },
            "last_name": {
                "required": "Enter the last name.",
                "max_length": "Last name must be %(limit_value)d characters or fewer.",
            },
            "date_of_birth": {"required": "Enter the date of birth."},
            "nino": {
                "max_length": "National Insurance number must be %(limit_value)d characters "
                "or fewer.",
            },
            "postcode": {
                "required": "Enter the postcode.",
                "max_length": "Postcode must be %(limit_value)d characters or fewer.",
            },
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.com.",
                "max_length": "Email address must be %(limit_value)d characters or fewer.",
            },
            "phone": {
                "invalid": "Enter a phone number in the correct format, like 07912 345678.",
                "max_length": "Phone number must be %(limit_value)d characters or fewer.",
            },
            "programme": {
                "required": "Choose a programme.",
                "invalid_choice": "Choose a programme from the list.",
            },
            "programme_start_date": {"required": "Enter the programme start date."},
            "team": {
                "required": "Choose the team.",
                "invalid_choice": "Choose a team from the list.",
            },
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["loaded_version"].initial = self.instance.version
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["adviser"].queryset = advisers_for(teams)

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        refuse_a_duplicate(
            field="reference", value=reference, instance=self.instance, user=self.user
        )
        return reference

    def clean_nino(self) -> str:
        nino = self.cleaned_data["nino"]
        if nino:
            refuse_a_duplicate(field="nino", value=nino, instance=self.instance, user=self.user)
        return nino

    @property
    def participant_fields(self) -> dict:
        """The participant's own field values, as the participant services take them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def _get_validation_exclusions(self) -> set[str]:
        # The reference's uniqueness is checked by clean_reference, which does not name a
        # participant in another team; the model's check would.
        return super()._get_validation_exclusions() | {"reference"}

    def clean_date_of_birth(self) -> datetime.date:
        born = self.cleaned_data["date_of_birth"]
        if born > datetime.date.today() - relativedelta(years=MINIMUM_AGE):
            raise forms.ValidationError(f"A participant must be at least {MINIMUM_AGE}.")
        if born < datetime.date(1900, 1, 1):
            raise forms.ValidationError("Enter a date of birth after 1 January 1900.")
        return born

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        started = cleaned.get("programme_start_date")
        if programme and started and started < programme.start_date:
            self.add_error(
                "programme_start_date",
                f"{programme} starts on {programme.start_date:%-d %B %Y}; "
                "a participant cannot start before it.",
            )
        return cleaned

"""Forms for finding, adding and editing participants and for importing referrals."""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from common.forms import DateInput, HintedModelForm, SearchField, StaffChoiceField, active_staff
from participants.access import teams_for
from participants.models import Participant, Team
from programmes.models import Programme

MINIMUM_AGE = 16


def advisers_for(teams: QuerySet[Team]) -> QuerySet:
    """Active staff in any of the given teams."""
    return active_staff(teams__in=teams)


class ParticipantSearchForm(forms.Form):
    q = SearchField(help_text="Name, reference, National Insurance number or postcode.")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All")
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, empty_label="All"
    )
    adviser = StaffChoiceField(queryset=None, required=False, empty_label="All")

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


class ParticipantForm(HintedModelForm):
    adviser = StaffChoiceField(queryset=None, required=False, empty_label="No adviser")

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
        widgets = {
            "date_of_birth": DateInput(attrs={"autocomplete": "bday"}),
            "programme_start_date": DateInput(),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "nino": "For example, AB 12 34 56 C.",
            "phone": "A UK number, for example 07912 345678.",
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["adviser"].queryset = advisers_for(teams)

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_nino(self) -> str:
        nino = self.cleaned_data["nino"]
        others = Participant.objects.exclude(pk=self.instance.pk)
        if nino and others.filter(nino=nino).exists():
            raise forms.ValidationError(
                "Another participant already has this National Insurance number."
            )
        return nino

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

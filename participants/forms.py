"""Forms for finding, adding and editing participants and for importing referrals."""

import datetime
import operator
from functools import reduce

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

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
from participants.models import MAX_SEARCH_TERMS, AccessLogEntry, Participant, Team
from programmes.models import Programme

MINIMUM_AGE = 16


def advisers_for(teams: QuerySet[Team]) -> QuerySet:
    """Active staff in any of the given teams (what a select of them shows: 500 of them
    at a prime provider's size)."""
    return active_staff(teams__in=teams).only("pk", "username", "first_name", "last_name")


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

    searched = False

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
        self.searched = bool(data.get("q"))
        if self.searched:
            queryset = queryset.search(data["q"])
        for name in ("team", "programme", "adviser"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset


class AccessLogFilterForm(forms.Form):
    """The access log's filters: whose record, who read it, how, and between which days."""

    participant = SearchField(
        label="Participant",
        help_text="Reference or name.",
        error_messages={"max_length": "Participant must be %(limit_value)d characters or fewer."},
    )
    user = StaffChoiceField(
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
        required=False,
        empty_label="All",
        label="Read by",
        error_messages={"invalid_choice": "Choose a member of staff from the list."},
    )
    kind = forms.ChoiceField(
        label="Access",
        choices=[("", "All"), *AccessLogEntry.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of access from the list."},
    )
    read_from = DateField(label="From", required=False, noun="The first day")
    read_to = DateField(label="To", required=False, noun="The last day")

    def clean(self):
        cleaned = super().clean()
        read_from, read_to = cleaned.get("read_from"), cleaned.get("read_to")
        if read_from and read_to and read_to < read_from:
            self.add_error("read_to", "Enter a date on or after the first day.")
        return cleaned

    def filter(self, entries: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
        """Narrow the log by whatever valid criteria were given; ignore the rest."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for term in (data.get("participant") or "").split()[:MAX_SEARCH_TERMS]:
            entries = entries.filter(
                reduce(
                    operator.or_,
                    (Q(**{f"participant__{name}__icontains": term}) for name in _NAMED_BY),
                )
            )
        if data.get("user"):
            entries = entries.filter(user=data["user"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        # Whole days in the local time zone, as bounds on the indexed time (not its date).
        if data.get("read_from"):
            entries = entries.filter(at__gte=_start_of(data["read_from"]))
        if data.get("read_to"):
            entries = entries.filter(at__lt=_start_of(data["read_to"] + datetime.timedelta(1)))
        return entries


_NAMED_BY = ("reference", "first_name", "last_name")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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

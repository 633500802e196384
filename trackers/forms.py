"""The tracker form (create and edit) and the end-of-job form."""

import datetime
import uuid
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.forms.utils import ErrorDict
from django.utils import timezone

from common.forms import (
    DateField,
    HintedModelForm,
    PlainTextForm,
    SearchField,
    StaffChoiceField,
    id_or_none,
)
from organisations.models import Organisation
from participants.access import staff_who_see
from participants.models import Participant
from programmes.models import MinimumWageRate
from trackers.evidence import EvidenceFilesField
from trackers.models import MAX_WEEKLY_HOURS, EvidenceDocument, Tracker

# Listed in the employer select (JavaScript off); its Find button, or the combobox that
# replaces it (JavaScript on), finds the rest.
EMPLOYERS_LISTED = 200
HOURS_RANGE = "Weekly hours must be more than 0 and no more than 100."


def _rate_hint(today: datetime.date) -> str:
    """An example rate that is not below the legal minimum the form warns about."""
    living_wage = MinimumWageRate.objects.national_living_wage(on=today)
    example = living_wage.hourly_rate if living_wage else "12.71"
    return f"In pounds, for example {example}."


class TrackerForm(PlainTextForm, HintedModelForm):
    assignee = StaffChoiceField(queryset=None, required=False, empty_label="Nobody yet")
    organisation = forms.ModelChoiceField(queryset=None, required=False)
    confirm_below_minimum = forms.BooleanField(
        label="I have checked: this is the rate the participant is paid", required=False
    )
    confirm_organisation = forms.BooleanField(label="Confirm this organisation now", required=False)
    organisation_search = SearchField(
        label="Find an employer",
        help_text="If it is not listed: part of its name, or its postcode.",
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Tracker
        fields = [
            "type",
            "assignee",
            "description",
            "organisation",
            "start_date",
            "end_date",
            "weekly_hours",
            "hourly_rate",
        ]
        labels = {"description": "Description (job title)"}
        field_classes = {"start_date": DateField, "end_date": DateField}
        # Text, not number, inputs: a browser drops what a number input cannot read, so
        # "abc" would arrive as nothing and be reported as missing.
        widgets = {
            "weekly_hours": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "hourly_rate": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }
        help_texts = {
            "assignee": "Usually a compliance officer, who will check the evidence.",
            "organisation": "The employer: needed for a job, optional for self-employment. "
            "Only Confirmed organisations can be chosen.",
            "end_date": "Only when the job has finished.",
            "weekly_hours": "For example, 37.5.",
        }
        # Messages in the GOV.UK style: what to do, naming the field.
        error_messages = {
            "type": {"required": "Choose whether it is a job or self-employment."},
            "description": {"required": "Enter the job title."},
            "start_date": {"required": "Enter the employment start date."},
            "weekly_hours": {
                "required": "Enter the weekly working hours.",
                "invalid": "Enter the weekly working hours as a number, like 37.5.",
                "min_value": HOURS_RANGE,
                "max_value": HOURS_RANGE,
                "max_digits": HOURS_RANGE,
                "max_decimal_places": "Enter the weekly working hours to no more than 2 decimal places.",
            },
            "hourly_rate": {
                "required": "Enter the hourly rate of pay.",
                "invalid": "Enter the hourly rate as an amount in pounds, like 12.71.",
                "min_value": "The hourly rate must be more than £0.",
                "max_digits": "Enter an hourly rate of less than £100,000.",
                "max_whole_digits": "Enter an hourly rate of less than £100,000.",
                "max_decimal_places": "Enter the hourly rate in pounds and pence, like 12.71.",
            },
        }

    def __init__(self, *args, participant: Participant, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.user = user
        self.fields["assignee"].queryset = staff_who_see(participant.team)
        self._set_employer_choices(
            self["organisation"].value(), search=self["organisation_search"].value() or ""
        )
        # Required for a job only, which clean() checks: not marked "(optional)".
        self.fields["organisation"].conditionally_required = True
        self.fields["hourly_rate"].help_text = _rate_hint(timezone.localdate())
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        self.below_minimum: MinimumWageRate | None = None

    def _set_employer_choices(self, selected, *, search: str) -> None:
        """Validate against every eligible employer, but list only the first
        EMPLOYERS_LISTED matching the search (and the one chosen)."""
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.eligible_employers(selected)
        listed = list(field.queryset.search(search).by_name()[:EMPLOYERS_LISTED])
        chosen = id_or_none(selected)
        if chosen and chosen not in {o.pk for o in listed}:
            listed += list(field.queryset.filter(pk=chosen))
        field.widget.choices = [("", "Choose…")] + [(o.pk, o.name) for o in listed]

    def clean_weekly_hours(self) -> Decimal:
        hours = self.cleaned_data["weekly_hours"]
        if not 0 < hours <= MAX_WEEKLY_HOURS:
            raise forms.ValidationError(HOURS_RANGE, code="range")
        return hours

    def clean_hourly_rate(self) -> Decimal:
        rate = self.cleaned_data["hourly_rate"]
        if rate <= 0:
            raise forms.ValidationError("The hourly rate must be more than £0.", code="min_value")
        return rate

    def clean_description(self) -> str:
        return " ".join(self.cleaned_data["description"].split())

    def clean_start_date(self) -> datetime.date:
        start = self.cleaned_data["start_date"]
        if start > timezone.localdate() + relativedelta(years=1):
            raise forms.ValidationError("Enter a start date within the next year.")
        if start < self.participant.date_of_birth + relativedelta(years=16):
            raise forms.ValidationError("The participant was under 16 on that date.")
        return start

    def clean_end_date(self) -> datetime.date | None:
        end = self.cleaned_data["end_date"]
        if end and end > timezone.localdate():
            raise forms.ValidationError(
                "Enter an end date only once the job has finished (today or earlier)."
            )
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        self._check_employer(cleaned)
        self._check_minimum_wage(cleaned)
        return cleaned

    def _check_employer(self, cleaned) -> None:
        organisation = cleaned.get("organisation")
        if cleaned.get("type") == Tracker.Type.JOB and organisation is None:
            self.add_error("organisation", "Choose the employer: a job needs one.")
        elif organisation and organisation.status != Organisation.Status.CONFIRMED:
            may_confirm = self.user.has_perm("organisations.change_organisation")
            if not (may_confirm and cleaned.get("confirm_organisation")):
                self.add_error(
                    "organisation",
                    f"{organisation} is {organisation.get_status_display()}: only Confirmed "
                    "organisations can be the employer on a job."
                    + (" Tick “Confirm this organisation now” if you have checked it."
                       if may_confirm else " Ask an administrator to confirm it."),
                )  # fmt: skip

    def _check_minimum_wage(self, cleaned) -> None:
        rate, start = cleaned.get("hourly_rate"), cleaned.get("start_date")
        if rate is None or start is None:
            return
        minimum = MinimumWageRate.objects.rate_for(
            date_of_birth=self.participant.date_of_birth, on=start
        )
        if minimum and rate < minimum.hourly_rate:
            self.below_minimum = minimum
            if not cleaned.get("confirm_below_minimum"):
                self.add_error(
                    "hourly_rate",
                    f"£{rate} an hour is below the legal minimum of £{minimum.hourly_rate} "
                    f"({minimum.band}) for the participant's age on {start:%-d %B %Y}. Check "
                    "it, then tick the box below to confirm it is right.",
                )

    def show_unchecked(self) -> None:
        """Show what was typed again without checking it (Find an employer, without
        JavaScript, posts the whole form): no errors yet, nothing saved."""
        self._errors = ErrorDict()

    @property
    def tracker_fields(self) -> dict:
        """The tracker's own field values, as the tracker services take them."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        fields["below_minimum_confirmed"] = self.below_minimum is not None
        return fields


class TrackerCreateForm(TrackerForm):
    """The Create Tracker form: the tracker, evidence to upload, and a one-off token that
    makes a double-submitted form create one tracker."""

    document_kind = forms.ChoiceField(
        label="Type of evidence", choices=EvidenceDocument.Kind.choices, required=False
    )
    documents = EvidenceFilesField(
        label="Evidence documents",
        required=False,
        help_text="PDF, JPEG or PNG, up to 10 MB each. You can also add documents later.",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = uuid.uuid4()


class TrackerEndForm(PlainTextForm, forms.Form):
    end_date = DateField(label="End date")
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, tracker: Tracker, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracker = tracker
        self.fields["loaded_version"].initial = tracker.version

    def clean_end_date(self) -> datetime.date:
        end = self.cleaned_data["end_date"]
        if end < self.tracker.start_date:
            raise forms.ValidationError(
                f"The end date cannot be before the start date, "
                f"{self.tracker.start_date:%-d %B %Y}."
            )
        if end > timezone.localdate():
            raise forms.ValidationError("Enter an end date of today or earlier.")
        return end

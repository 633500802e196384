"""The programme builder's forms (also used by the programmes admin)."""

from decimal import Decimal
from itertools import pairwise

from django import forms

from common.forms import DateField
from programmes.models import FinancialMilestone, MinimumWageRate, Programme
from programmes.services import MilestoneEntry

WINDOW_TOO_SHORT = "Enter an outcome window of at least 1 day (DWP Restart's is 638)."
# The amount column holds 10 digits, 2 of them pence.
AMOUNT_TOO_LARGE = "Enter an amount of less than £100,000,000."
# DWP Restart: 16 hours a week for 26 weeks at the National Living Wage.
RESTART_HOURS = Decimal(16 * 26)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "start_date",
            "end_date",
            "outcome_window_days",
            "milestones_enabled",
            "scheme",
        ]
        field_classes = {"start_date": DateField, "end_date": DateField}
        labels = {"milestones_enabled": "Use milestones", "scheme": "Milestone scheme"}
        help_texts = {"scheme": "DWP Restart projects each financial milestone from every job."}
        # Messages in the GOV.UK style: what to do, naming the field. Dates say only what
        # to do when missing.
        error_messages = {
            "name": {
                "required": "Enter the programme name.",
                "max_length": "Programme name must be %(limit_value)d characters or fewer.",
                "unique": "Another programme already has this name.",
            },
            "start_date": {"required": "Enter the start date."},
            "outcome_window_days": {
                "required": "Enter the outcome window in days.",
                "invalid": "Enter the outcome window as a whole number of days, like 638.",
                "min_value": WINDOW_TOO_SHORT,
                "max_value": "Enter a shorter outcome window (DWP Restart's is 638 days).",
            },
            "scheme": {"invalid_choice": "Choose a milestone scheme from the list."},
        }

    def clean_outcome_window_days(self) -> int:
        days = self.cleaned_data["outcome_window_days"]
        if days < 1:
            raise forms.ValidationError(WINDOW_TOO_SHORT)
        return days

    def clean(self):
        cleaned = super().clean()
        # One message a field: a scheme not on the list has already been reported.
        scheme_missing = not cleaned.get("scheme") and "scheme" not in self.errors
        if cleaned.get("milestones_enabled") and scheme_missing:
            self.add_error("scheme", "Choose the milestone scheme, or turn milestones off.")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned


class FinancialMilestoneForm(forms.ModelForm):
    class Meta:
        model = FinancialMilestone
        fields = ["name", "amount"]
        widgets = {"amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})}
        error_messages = {
            "name": {
                "required": "Enter the milestone name.",
                "max_length": "Milestone name must be %(limit_value)d characters or fewer.",
            },
            "amount": {
                "required": "Enter the amount.",
                "invalid": "Enter the amount as a number, like 1000.00.",
                "max_digits": AMOUNT_TOO_LARGE,
                "max_whole_digits": AMOUNT_TOO_LARGE,
                "max_decimal_places": "Enter the amount in pounds and pence, like 1000.00.",
            },
        }

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("Enter an amount greater than £0.")
        return amount


class BaseMilestoneFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": "Enter no more than %(num)d financial milestones.",
    }

    def clean(self) -> None:
        super().clean()
        if self.instance.pk:
            # Every milestone is renumbered on save: one added or removed by someone else
            # since the page was loaded would collide or be lost.
            shown = [form.instance.pk for form in self.initial_forms]
            if None in shown or self.instance.financial_milestones.exclude(pk__in=shown).exists():
                raise forms.ValidationError(
                    "Someone else changed these milestones while you were editing them, so "
                    "nothing was saved. Open the programme again to see the latest milestones."
                )
        amounts = [
            form.cleaned_data["amount"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("amount")
        ]
        if any(later <= earlier for earlier, later in pairwise(amounts)):
            raise forms.ValidationError(
                "Each milestone's amount must be larger than the one before it: they are "
                "cumulative earnings since the participant started."
            )

    def entries(self) -> list[MilestoneEntry]:
        """The milestones to keep, in the order shown: what ``save_programme`` takes."""
        return [
            MilestoneEntry(
                pk=form.instance.pk,
                name=form.cleaned_data["name"],
                amount=form.cleaned_data["amount"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


MilestoneFormSet = forms.inlineformset_factory(
    Programme,
    FinancialMilestone,
    form=FinancialMilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


class AmountHelperForm(forms.Form):
    on = DateField(label="National Living Wage in force on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = (
            "Enter the date the National Living Wage was in force on, to suggest an amount."
        )

    def suggestion(self) -> str | None:
        if not self.is_valid():
            return None
        on = self.cleaned_data["on"]
        rate = MinimumWageRate.objects.national_living_wage(on=on)
        if rate is None:
            return "No National Living Wage on record for that date."
        amount = RESTART_HOURS * rate.hourly_rate
        return (
            f"£{amount:,.2f}: 16 hours × 26 weeks at £{rate.hourly_rate} an hour "
            f"({rate.band}, from {rate.effective_from:%-d %B %Y})."
        )

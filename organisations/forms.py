"""Forms for organisations, their addresses and contacts."""

from django import forms
from django.db.models import QuerySet

from common.forms import (
    FoldingForm,
    HintedModelForm,
    PlainTextForm,
    SearchField,
    StaffChoiceField,
    active_staff,
)
from organisations.models import Address, Contact, Organisation
from organisations.sic import SIC_2007_SECTIONS


def staff_choices() -> QuerySet:
    """Who may own an organisation or contact: active members of staff (with a role)."""
    return active_staff(groups__isnull=False)


class OrganisationSearchForm(forms.Form):
    q = SearchField(help_text="Name or postcode.")
    status = forms.ChoiceField(choices=[("", "Any"), *Organisation.Status.choices], required=False)
    type = forms.ChoiceField(choices=[("", "Any"), *Organisation.Type.choices], required=False)
    category = forms.ChoiceField(choices=[("", "Any"), *SIC_2007_SECTIONS], required=False)

    def filter(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        # What is valid is used; what is not is ignored (and its error shown).
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            queryset = queryset.search(data["q"])
        for name in ("status", "type", "category"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset


class OrganisationForm(PlainTextForm, FoldingForm, HintedModelForm):
    owner = StaffChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the owner of the organisation.",
            "invalid_choice": "Choose the owner from the list.",
        },
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    folded = ("owner", "category", "ukprn", "website")

    class Meta:
        model = Organisation
        fields = ["name", "owner", "type", "category", "ukprn", "website", "status"]
        help_texts = {
            "ukprn": "Only for ESFA-funded training providers: 8 digits starting with 1.",
            "website": "For example, https://www.example.co.uk",
            "status": "Only Confirmed organisations can be chosen as the employer on a job.",
        }
        error_messages = {
            "name": {
                "required": "Enter the organisation's name.",
                "max_length": "Name must be %(limit_value)d characters or fewer.",
            },
            "type": {
                "required": "Choose the type of organisation.",
                "invalid_choice": "Choose the type of organisation from the list.",
            },
            "category": {"invalid_choice": "Choose a category from the list."},
            "website": {
                "invalid": "Enter the website's address in the correct format, like "
                "https://www.example.co.uk.",
                "max_length": "Website must be %(limit_value)d characters or fewer.",
            },
            "status": {
                "required": "Choose the status.",
                "invalid_choice": "Choose a status from the list.",
            },
        }

    def __init__(self, *args, user, employer: bool = False, **kwargs):
        """``employer``: it is being added as a job's employer (from the tracker form), so
        it starts Confirmed for a user who may confirm organisations."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices()
        self.fields["category"].choices = [("", "Not set"), *SIC_2007_SECTIONS]
        self.fields["loaded_version"].initial = self.instance.version
        if self.instance.pk:
            return
        self.fields["owner"].initial = user.pk
        status = self.fields["status"]
        if not user.has_perm("organisations.change_organisation"):
            status.choices = [(Organisation.Status.UNCONFIRMED, "Unconfirmed")]
            status.help_text = (
                "You may not confirm organisations, so it is added as Unconfirmed: someone "
                "who may confirm it must do so before it can be the employer on a job."
            )
            return
        # Archiving is for organisations that exist.
        status.choices = [
            choice for choice in Organisation.Status.choices
            if choice[0] != Organisation.Status.ARCHIVED
        ]  # fmt: skip
        if employer:
            status.initial = Organisation.Status.CONFIRMED
            status.help_text = (
                "Confirmed, so that it can be the employer on this job. Choose Unconfirmed "
                "if you have not checked that it is a real employer."
            )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    @property
    def organisation_fields(self) -> dict:
        """The organisation's own field values, as the organisation services take them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class AddressForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = Address
        fields = ["postcode", "line_1", "line_2", "line_3", "town", "county"]
        error_messages = {
            "postcode": {"required": "Enter the postcode."},
            "line_1": {
                "required": "Enter address line 1, typically the building and street.",
                "max_length": "Address line 1 must be %(limit_value)d characters or fewer.",
            },
            "line_2": {"max_length": "Address line 2 must be %(limit_value)d characters or fewer."},
            "line_3": {"max_length": "Address line 3 must be %(limit_value)d characters or fewer."},
            "town": {
                "required": "Enter the town or city.",
                "max_length": "Town or city must be %(limit_value)d characters or fewer.",
            },
            "county": {"max_length": "County must be %(limit_value)d characters or fewer."},
        }
        widgets = {
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "line_1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line_2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "line_3": forms.TextInput(attrs={"autocomplete": "address-line3"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }


class ContactForm(PlainTextForm, FoldingForm, HintedModelForm):
    owner = StaffChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the owner of the contact.",
            "invalid_choice": "Choose the owner from the list.",
        },
    )
    folded = ("owner", "additional_phone", "url")

    class Meta:
        model = Contact
        fields = ["name", "role", "owner", "email", "phone", "additional_phone", "address", "url"]
        help_texts = {
            "phone": "A UK number, for example 0113 496 0000 or 07912 345678.",
            "address": "One of the organisation's addresses. Add a regional office as a "
            "new address first.",
        }
        error_messages = {
            "name": {
                "required": "Enter the contact's name.",
                "max_length": "Name must be %(limit_value)d characters or fewer.",
            },
            "role": {"max_length": "Role must be %(limit_value)d characters or fewer."},
            "email": {
                "required": "Enter the contact's email address.",
                "invalid": "Enter an email address in the correct format, like name@example.com.",
            },
            "phone": {
                "required": "Enter the contact's phone number.",
                "invalid": "Enter a UK phone number, like 0113 496 0000 or 07912 345678.",
            },
            "additional_phone": {
                "invalid": "Enter a UK phone number, like 0113 496 0000 or 07912 345678.",
            },
            "address": {"invalid_choice": "Choose one of the organisation's addresses."},
            "url": {
                "invalid": "Enter the web address in the correct format, like "
                "https://www.example.co.uk/people/sam.",
            },
        }

    def __init__(self, *args, user, organisation: Organisation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices()
        self.fields["owner"].initial = user.pk
        if organisation is None:
            # Creating the organisation: the contact works at its first address.
            del self.fields["address"]
        else:
            self.fields["address"].queryset = organisation.addresses.all()
            self.fields["address"].empty_label = "No address"

"""Add an organisation: the organisation with, if they are known, its first address, its
first contact and that contact's own address (when it differs from the organisation's),
entered as one form on a page or in a dialog, checked and saved together.

Without JavaScript a postcode finder's button posts the whole form: nothing is saved and
everything typed comes back, with the addresses found.
"""

from django.http import QueryDict

from organisations.address_entry import AddressLookup, look_up, typed_values
from organisations.forms import AddressForm, ContactForm, OrganisationForm
from organisations.models import Organisation
from organisations.services import create_organisation

# The address, contact and contact's address are optional: left blank, they are not saved.
OPTIONAL = {"empty_permitted": True, "use_required_attribute": False}
ADDRESS_PREFIXES = ("address", "contact-address")
ADDRESS_WITHOUT_CONTACT = (
    "Add the contact who works at this address, or leave the contact's address blank."
)


class NewOrganisation:
    """The forms of Add an organisation, each with its own prefix: in a dialog they share
    the page with the form that opened it."""

    def __init__(self, data: QueryDict | None, *, user, employer: bool, name: str = ""):
        """``name``: the name to start with (typed into the employer combobox)."""
        self.data = data
        self.user = user
        self.employer = employer
        self.organisation = OrganisationForm(
            data,
            prefix="organisation",
            initial={"name": " ".join(name[:200].split())},
            user=user,
            employer=employer,
        )
        self.contact = ContactForm(data, prefix="contact", user=user, organisation=None, **OPTIONAL)
        self.lookups = {
            prefix: AddressLookup(form=AddressForm(data, prefix=prefix, **OPTIONAL))
            for prefix in ADDRESS_PREFIXES
        }

    @property
    def address_lookup(self) -> AddressLookup:
        return self.lookups["address"]

    @property
    def contact_address_lookup(self) -> AddressLookup:
        return self.lookups["contact-address"]

    @property
    def address(self) -> AddressForm:
        return self.address_lookup.form

    @property
    def contact_address(self) -> AddressForm:
        return self.contact_address_lookup.form

    @property
    def forms(self) -> list:
        """In the order they are shown, for the error summary."""
        return [self.organisation, self.address, self.contact, self.contact_address]

    def finder_used(self) -> str | None:
        """The prefix of the address whose Find address or Use this address button was
        pressed (JavaScript off), or None."""
        if not self.data:
            return None
        pressed = self.data.get("find_address") or self.data.get("use_address")
        if pressed is None:
            return None
        return pressed if pressed in ADDRESS_PREFIXES else "address"

    def find_address(self, prefix: str) -> None:
        """Show everything typed again, unchecked, with the addresses found for the
        postcode of the address ``prefix``."""
        data = self.data
        choice = data.get(f"{prefix}-choice") if "use_address" in data else None
        for each in ADDRESS_PREFIXES:
            self.lookups[each] = (
                look_up(data, each, choice=choice)
                if each == prefix
                else AddressLookup(form=AddressForm(prefix=each, initial=typed_values(data, each)))
            )
        self.organisation = OrganisationForm(
            prefix="organisation",
            initial=_unprefixed(data, "organisation"),
            user=self.user,
            employer=self.employer,
        )
        self.contact = ContactForm(
            prefix="contact",
            initial=_unprefixed(data, "contact"),
            user=self.user,
            organisation=None,
        )

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.forms])
        if valid and self.contact_address.has_changed() and not self.contact.has_changed():
            self.contact_address.add_error(None, ADDRESS_WITHOUT_CONTACT)
            return False
        return valid

    def save(self, *, created_by) -> Organisation:
        """For a valid entry: the new organisation, with what was entered of the rest."""
        return create_organisation(
            organisation=self.organisation.organisation_fields,
            address=_entered(self.address),
            contact=_entered(self.contact),
            contact_address=_entered(self.contact_address),
            created_by=created_by,
        )


def _entered(form) -> dict | None:
    return form.cleaned_data if form.has_changed() else None


def _unprefixed(data: QueryDict, prefix: str) -> dict[str, str]:
    start = f"{prefix}-"
    return {
        key.removeprefix(start): value
        for key, value in data.items()
        if key.startswith(start) and not key.removeprefix(start).startswith("address-")
    }

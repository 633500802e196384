"""Writes of organisations, their addresses and contacts. Each takes plain field values
(a form's ``cleaned_data``), checks them as the model does and saves in one transaction.

A status change always goes through ``Organisation.move_to``, so confirming is recorded
(who, when) the same way wherever it happens, in the same history record as the save.
"""

from collections.abc import Mapping

from django.db import transaction

from common.versions import lock_at_version
from organisations.models import Address, Contact, Organisation


@transaction.atomic
def create_organisation(
    *,
    organisation: Mapping[str, object],
    address: Mapping[str, object] | None = None,
    contact: Mapping[str, object] | None = None,
    contact_address: Mapping[str, object] | None = None,
    created_by,
) -> Organisation:
    """Save a new organisation with, optionally, its first address and first contact.

    All or nothing. The first address becomes the primary address. The contact works
    there unless ``contact_address`` gives their own, which is saved as another of the
    organisation's addresses (the primary one if there is no first address). Asking for
    it Confirmed confirms it as ``created_by``.
    """
    fields = dict(organisation)
    status = fields.pop("status", Organisation.Status.UNCONFIRMED)
    new = Organisation(**fields)
    new.move_to(status, by=created_by, save=False)
    new.full_clean()
    new.save()
    first_address = None
    if address is not None:
        first_address = _new_address(new, address, primary=True)
    if contact is not None:
        works_at = first_address
        if contact_address is not None:
            works_at = _new_address(new, contact_address, primary=first_address is None)
        new_contact = Contact(organisation=new, address=works_at, **contact)
        new_contact.full_clean()
        new_contact.save()
    return new


def _new_address(organisation: Organisation, fields: Mapping[str, object], *, primary: bool):
    address = Address(organisation=organisation, is_primary=primary, **fields)
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, loaded_version: int | None, changed_by, **fields
) -> Organisation:
    """Save edits to the version of the organisation the user loaded (ChangedSinceLoaded
    if someone saved it since); a new status is reached through ``Organisation.move_to``
    (confirming records ``changed_by``)."""
    current = lock_at_version(organisation, loaded_version)
    status = fields.pop("status", None)
    for name, value in fields.items():
        setattr(organisation, name, value)
    # The status moves on from what is saved (a form may have set a new one already).
    organisation.status = current.status
    if status is not None:
        organisation.move_to(status, by=changed_by, save=False)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def save_address(
    *, organisation: Organisation, address: Address | None = None, **fields
) -> Address:
    """Add an address to the organisation (``address=None``) or change one of its
    addresses. The organisation's first address becomes its primary address."""
    if address is None:
        address = Address(organisation=organisation, is_primary=not organisation.addresses.exists())
    elif address.organisation_id != organisation.pk:
        raise ValueError(f"Address {address.pk} is not one of {organisation}'s addresses.")
    for name, value in fields.items():
        setattr(address, name, value)
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def make_primary_address(*, address: Address) -> Address:
    """Make this the organisation's primary address (and no other).

    Saved one by one, not with ``update()``, so that the history records the change.
    """
    if address.is_primary:
        return address
    for previous in address.organisation.addresses.filter(is_primary=True):
        previous.is_primary = False
        previous.save(update_fields=["is_primary"])
    address.is_primary = True
    address.save(update_fields=["is_primary"])
    return address


@transaction.atomic
def save_contact(
    *, organisation: Organisation, contact: Contact | None = None, **fields
) -> Contact:
    """Add a contact to the organisation (``contact=None``) or change one of its contacts."""
    if contact is None:
        contact = Contact(organisation=organisation)
    elif contact.organisation_id != organisation.pk:
        raise ValueError(f"Contact {contact.pk} is not one of {organisation}'s contacts.")
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact

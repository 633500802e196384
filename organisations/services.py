"""Writes that touch several organisation models at once."""

from django.db import transaction
from django.utils import timezone

from organisations.models import Address, Contact, Organisation


@transaction.atomic
def create_organisation(
    *,
    organisation: Organisation,
    address: Address | None = None,
    contact: Contact | None = None,
    created_by,
) -> Organisation:
    """Save a new organisation with, optionally, its first address and first contact.

    All or nothing. The first address becomes the primary address and the contact's
    address. Creating it as Confirmed records ``created_by`` as the confirmer.
    """
    if organisation.status == Organisation.Status.CONFIRMED:
        organisation.confirmed_by = created_by
        organisation.confirmed_at = timezone.now()
    organisation.full_clean()
    organisation.save()
    if address is not None:
        address.organisation = organisation
        address.is_primary = True
        address.full_clean()
        address.save()
    if contact is not None:
        contact.organisation = organisation
        contact.address = address
        contact.full_clean()
        contact.save()
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, changed_by) -> Organisation:
    """Save edits; when the status has just become Confirmed, record who confirmed it, and
    when it is back to Unconfirmed, forget the confirmation (the history keeps it)."""
    saved_status = Organisation.objects.values_list("status", flat=True).get(pk=organisation.pk)
    confirmed = Organisation.Status.CONFIRMED
    if organisation.status == confirmed and saved_status != confirmed:
        organisation.confirmed_by = changed_by
        organisation.confirmed_at = timezone.now()
    elif organisation.status == Organisation.Status.UNCONFIRMED:
        organisation.confirmed_by = None
        organisation.confirmed_at = None
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def add_address(*, organisation: Organisation, address: Address) -> Address:
    """Add an address; the organisation's first address becomes its primary address."""
    address.organisation = organisation
    address.is_primary = not organisation.addresses.exists()
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

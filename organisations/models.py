"""Organisations (employers, referrers, training providers), their addresses and contacts,
and the postcode address file behind the local address finder."""

import re
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from common.forms import id_or_none
from common.uk import POSTCODE_RE, PostcodeField, normalise_postcode
from common.versions import next_version
from organisations.sic import SIC_2007_SECTIONS

LEGAL_SUFFIXES = {"ltd", "limited", "plc", "llp", "llc", "inc", "co", "company", "the", "and"}


def name_key(name: str) -> str:
    """A name reduced for comparison: "The Harbour Bakery Ltd." → "harbour bakery"."""
    words = re.sub(r"[^\w\s]", " ", name.lower().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in LEGAL_SUFFIXES)


class OrganisationQuerySet(models.QuerySet):
    def confirmed(self) -> "OrganisationQuerySet":
        """Organisations that may be chosen as the employer on a job tracker."""
        return self.filter(status=Organisation.Status.CONFIRMED)

    def eligible_employers(self, selected: str | int | None = None) -> "OrganisationQuerySet":
        """Confirmed organisations, plus the one already chosen (so that an Unconfirmed one
        chosen in the dialog gets a clear message rather than "not one of the choices")."""
        pk = id_or_none(selected)
        if pk is None:
            return self.confirmed()
        return self.exclude(status=Organisation.Status.ARCHIVED).filter(
            Q(status=Organisation.Status.CONFIRMED) | Q(pk=pk)
        )

    def by_name(self) -> "OrganisationQuerySet":
        """The order of every organisation select and list."""
        return self.order_by("name", "pk")

    def search(self, text: str) -> "OrganisationQuerySet":
        """Organisations whose name contains the text, or with an address at a postcode
        that starts with it."""
        # Control characters (NUL among them) are never in a name; PostgreSQL refuses NUL.
        text = " ".join("".join(c if c.isprintable() else " " for c in (text or "")[:200]).split())
        if not text:
            return self
        postcode = normalise_postcode(text)
        if not POSTCODE_RE.match(postcode):
            postcode = text.upper()  # part of a postcode ("LS1 4A"), spaced as typed
        at_postcode = Address.objects.filter(
            organisation=OuterRef("pk"), postcode__startswith=postcode
        )
        return self.filter(Q(name__icontains=text) | Exists(at_postcode))

    def similar_to(self, name: str, postcode: str = "") -> list["Organisation"]:
        """Organisations that are probably the same as a new one: a name that matches once
        legal suffixes and punctuation are ignored, or nearly so, or the same postcode."""
        key = name_key(name)
        words = sorted(key.split(), key=len, reverse=True)
        candidates = self.filter(name__icontains=words[0])[:200] if words else []
        similar = [
            organisation for organisation in candidates
            if SequenceMatcher(None, name_key(organisation.name), key).ratio() >= 0.85
        ]  # fmt: skip
        if postcode:
            at_postcode = Address.objects.filter(
                organisation=OuterRef("pk"), postcode=normalise_postcode(postcode)
            )
            similar += self.filter(Exists(at_postcode)).exclude(
                pk__in=[organisation.pk for organisation in similar]
            )[:20]
        return similar


class Organisation(models.Model):
    class Type(models.TextChoices):
        EMPLOYER = "employer", "Employer"
        REFERRER = "referrer", "Referrer"
        TRAINING = "training", "Training"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Unconfirmed"
        CONFIRMED = "confirmed", "Confirmed"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_organisations",
        help_text="The staff member who owns the relationship with this organisation.",
    )
    type = models.CharField(max_length=20, choices=Type, default=Type.EMPLOYER)
    category = models.CharField(
        "category (SIC 2007 section)", max_length=1, choices=SIC_2007_SECTIONS, blank=True
    )
    ukprn = models.CharField(
        "UKPRN",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^1[0-9]{7}$", "A UKPRN is 8 digits starting with 1.")],
    )
    website = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    status = models.CharField(max_length=20, choices=Status, default=Status.UNCONFIRMED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Optimistic locking (common.versions): an edit must name the version it was read at.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "name"]),
            # The default order (the admin's changelist): no sort of the whole table.
            models.Index(fields=["name", "id"], name="organisation_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def move_to(self, status: str, *, by, save: bool = True) -> None:
        """Change the status the way each status is reached: becoming Confirmed records
        who (``by``) and when, going back to Unconfirmed forgets it (the history keeps
        it). The same status again changes nothing. Saving moves the version on, so an
        edit form loaded before the change is refused. With ``save=False`` only the
        fields are set, for the save that follows (so one change makes one history
        record)."""
        if status == self.status:
            return
        self.status = status
        if status == self.Status.CONFIRMED:
            self.confirmed_by, self.confirmed_at = by, timezone.now()
        elif status == self.Status.UNCONFIRMED:
            self.confirmed_by, self.confirmed_at = None, None
        if save:
            with transaction.atomic():
                self.version = next_version(self)
                self.save(update_fields=["status", "confirmed_by", "confirmed_at", "version"])

    def confirm(self, *, by) -> None:
        self.move_to(self.Status.CONFIRMED, by=by)


class AddressFields(models.Model):
    """The lines of a UK postal address."""

    line_1 = models.CharField("address line 1", max_length=200)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    line_3 = models.CharField("address line 3", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    county = models.CharField(max_length=100, blank=True)
    postcode = PostcodeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return ", ".join(self.lines)

    @property
    def lines(self) -> list[str]:
        parts = [self.line_1, self.line_2, self.line_3, self.town, self.county, self.postcode]
        return [part for part in parts if part]


class Address(AddressFields):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="addresses"
    )
    is_primary = models.BooleanField("primary address", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "line_1", "id"]
        verbose_name_plural = "addresses"
        # The default order (the admin's changelist): no sort of the whole table.
        indexes = [models.Index(fields=["-is_primary", "line_1", "id"], name="address_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_primary=True),
                name="one_primary_address_per_organisation",
                violation_error_message="The organisation already has a primary address.",
            )
        ]


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
        help_text="The staff member who owns the relationship with this contact.",
    )
    email = models.EmailField()
    phone = PhoneNumberField()
    additional_phone = PhoneNumberField(blank=True)
    role = models.CharField(max_length=100, blank=True)
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    url = models.URLField("URL", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        # The default order (the admin's changelist): no sort of the whole table.
        indexes = [models.Index(fields=["name", "id"], name="contact_name_order")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # (A form's contact may not belong to an organisation yet: the service checks it.)
        if (
            self.address_id
            and self.organisation_id
            and self.address.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"address": "Choose one of the organisation's own addresses."}, code="elsewhere"
            )


class PostcodeAddress(AddressFields):
    """An address from an imported address file (``manage.py import_addresses``), which the
    local address finder offers alongside the addresses already recorded."""

    class Meta:
        ordering = ["postcode", "line_1", "id"]
        verbose_name = "address file entry"
        verbose_name_plural = "address file"
        # The default order is read from postcode_address_unique's index (postcode,
        # line_1, ...), sorting only rows with the same postcode and first line by id.
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "line_1", "line_2", "line_3", "town"],
                name="postcode_address_unique",
            )
        ]

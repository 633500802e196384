"""Organisations: employers (and referrers, training providers) that trackers point at."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from organisations.sic import SIC_2007_SECTIONS


class OrganisationQuerySet(models.QuerySet):
    def confirmed(self) -> "OrganisationQuerySet":
        """Organisations that may be chosen as the employer on a job tracker."""
        return self.filter(status=Organisation.Status.CONFIRMED)


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
    website = models.URLField(blank=True)
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

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

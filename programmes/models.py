"""Programmes (contracts such as DWP Restart), their financial milestones, and the legal
minimum wage rates the milestones and pay checks are based on.

These models began in the ``milestones`` app and keep its table names (see migration
0001), so databases made before the move keep their rows."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Programme(models.Model):
    class Scheme(models.TextChoices):
        DWP_RESTART = "dwp_restart", "DWP Restart"

    name = models.CharField(max_length=200, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcome_window_days = models.PositiveIntegerField(
        default=638,
        help_text="Days from a participant's programme start in which earnings count.",
    )
    milestones_enabled = models.BooleanField("milestone feature", default=False)
    scheme = models.CharField(max_length=30, choices=Scheme, blank=True)

    history = HistoricalRecords(table_name="milestones_historicalprogramme")

    class Meta:
        db_table = "milestones_programme"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MinimumWageRateQuerySet(models.QuerySet):
    def rate_for(
        self, *, date_of_birth: datetime.date, on: datetime.date, apprentice: bool = False
    ) -> "MinimumWageRate | None":
        """The legal minimum hourly rate for someone born then, on that day (None before
        the first rate on record or under 16)."""
        age = relativedelta(on, date_of_birth).years
        in_force = self.filter(effective_from__lte=on).order_by("-effective_from")
        latest = in_force.values_list("effective_from", flat=True).first()
        if latest is None:
            return None
        bands = in_force.filter(
            effective_from=latest, min_age__lte=age, apprentice=apprentice
        ).filter(Q(max_age__isnull=True) | Q(max_age__gte=age))
        return bands.order_by("-min_age").first()

    def national_living_wage(self, *, on: datetime.date) -> "MinimumWageRate | None":
        """The adult rate (the highest age band, not an apprentice's) in force that day."""
        return (
            self.filter(effective_from__lte=on, apprentice=False)
            .order_by("-effective_from", "-min_age")
            .first()
        )


class MinimumWageRate(models.Model):
    """A National Living Wage / National Minimum Wage rate for an age band, from a date.

    Loaded from shared/data/minimum_wage_rates.csv by migration; edit in admin when the
    rates change each April.
    """

    effective_from = models.DateField()
    min_age = models.PositiveSmallIntegerField()
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    apprentice = models.BooleanField(default=False)
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2)
    band = models.CharField(max_length=100)

    history = HistoricalRecords(table_name="milestones_historicalminimumwagerate")
    objects = MinimumWageRateQuerySet.as_manager()

    class Meta:
        db_table = "milestones_minimumwagerate"
        ordering = ["-effective_from", "-min_age"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "min_age", "apprentice"], name="one_rate_per_band"
            ),
            models.CheckConstraint(condition=Q(hourly_rate__gt=Decimal("0")), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.hourly_rate} {self.band} from {self.effective_from:%-d %b %Y}"


class FinancialMilestone(models.Model):
    """A payment point of a programme: cumulative earnings since the participant started."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="financial_milestones"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    amount = models.DecimalField("cumulative amount (£)", max_digits=10, decimal_places=2)

    history = HistoricalRecords(table_name="milestones_historicalfinancialmilestone")

    class Meta:
        db_table = "milestones_financialmilestone"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="one_milestone_per_position"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (£{self.amount:,})"

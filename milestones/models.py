"""Programmes (contracts such as DWP Restart), their financial milestones, and the legal
minimum wage rates the milestones and pay checks are based on."""

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

    history = HistoricalRecords()

    class Meta:
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

    history = HistoricalRecords()
    objects = MinimumWageRateQuerySet.as_manager()

    class Meta:
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="one_milestone_per_position"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (£{self.amount:,})"


class ParticipantMilestoneQuerySet(models.QuerySet):
    def due_within(self, days: int, *, today: datetime.date) -> "ParticipantMilestoneQuerySet":
        return self.filter(
            projected_date__gte=today, projected_date__lte=today + datetime.timedelta(days=days)
        )

    def ready_to_claim(self) -> "ParticipantMilestoneQuerySet":
        return self.filter(
            status__in=[ParticipantMilestone.Status.ACHIEVED, ParticipantMilestone.Status.VERIFIED],
            claim_status=ParticipantMilestone.ClaimStatus.NOT_CLAIMED,
        )


class ParticipantMilestone(models.Model):
    """The projection for one participant and one milestone, stored so that lists ("due in
    the next 30 days", "ready to claim") are one indexed query. Written only by the
    recalculation service (trackers.projections)."""

    class Kind(models.TextChoices):
        EARNINGS = "earnings", "Earnings"
        SELF_EMPLOYMENT = "self_employment", "Self-employment (26 weeks)"

    class Status(models.TextChoices):
        PROJECTED = "projected", "Projected"
        ACHIEVED = "achieved", "Achieved"
        VERIFIED = "verified", "Verified"
        AT_RISK = "at_risk", "At risk"
        NOT_REACHABLE = "not_reachable", "Not reachable"

    class ClaimStatus(models.TextChoices):
        NOT_CLAIMED = "not_claimed", "Not claimed"
        CLAIMED = "claimed", "Claimed"
        PAID = "paid", "Paid"
        REJECTED = "rejected", "Rejected"
        ON_HOLD = "on_hold", "On hold"
        REFUNDED = "refunded", "Refunded"

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.EARNINGS)
    financial_milestone = models.ForeignKey(
        FinancialMilestone, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    earned_to_date = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    projected_date = models.DateField(null=True, blank=True)
    weeks_left = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PROJECTED)
    claim_status = models.CharField(
        max_length=20, choices=ClaimStatus, default=ClaimStatus.NOT_CLAIMED
    )
    paid_date = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    calculated_on = models.DateField()

    history = HistoricalRecords()
    objects = ParticipantMilestoneQuerySet.as_manager()

    class Meta:
        # Not reachable (no date) last on every engine: SQLite puts NULL first otherwise.
        ordering = [F("projected_date").asc(nulls_last=True), "participant", "id"]
        permissions = [
            ("change_claim", "Can record claims and payments of milestones"),
            ("export_milestones", "Can export milestones to CSV"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "financial_milestone"],
                condition=Q(financial_milestone__isnull=False),
                name="one_row_per_participant_milestone",
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(kind="self_employment"),
                name="one_self_employment_milestone",
            ),
        ]
        indexes = [
            models.Index(fields=["projected_date", "id"], name="milestone_due"),
            models.Index(fields=["status", "projected_date"], name="milestone_status_due"),
            models.Index(fields=["claim_status", "projected_date"], name="milestone_claim_due"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_status_display()}"

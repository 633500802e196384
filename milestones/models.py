"""The stored projection of each participant's milestones: what the recalculation writes
(milestones.recalculation) and what the Milestones page, claims and forecast read."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from programmes.models import FinancialMilestone


class ParticipantMilestoneQuerySet(models.QuerySet):
    def due_within(self, days: int, *, today: datetime.date) -> "ParticipantMilestoneQuerySet":
        return self.filter(
            projected_date__gte=today, projected_date__lte=today + datetime.timedelta(days=days)
        )

    def ready_to_claim(self) -> "ParticipantMilestoneQuerySet":
        """Verified by compliance (so on approved trackers) and not claimed yet."""
        return self.filter(
            status=ParticipantMilestone.Status.VERIFIED,
            claim_status=ParticipantMilestone.ClaimStatus.NOT_CLAIMED,
        )

    def by_due_date(self) -> "ParticipantMilestoneQuerySet":
        """Soonest first, Not reachable (no date) last on every engine."""
        return self.order_by(F("projected_date").asc(nulls_last=True), "id")

    def for_list(self) -> "ParticipantMilestoneQuerySet":
        """With what every list and export shows of the participant."""
        return self.select_related(
            "participant", "participant__programme", "participant__team"
        ).by_due_date()


class ParticipantMilestone(models.Model):
    """The projection for one participant and one milestone, stored so that lists ("due in
    the next 30 days", "ready to claim") are one indexed query. The projection fields are
    written only by ``milestones.recalculation``; the claim fields only by
    ``milestones.services.record_claim``."""

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
            # With the participant, so that "has an Achieved milestone" (the review queue's
            # Overdue tab) reads the index alone on PostgreSQL.
            models.Index(
                fields=["status", "projected_date", "participant"], name="milestone_status_due"
            ),
            models.Index(fields=["claim_status", "projected_date"], name="milestone_claim_due"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_status_display()}"


class ForecastDay(models.Model):
    """How many participant milestones are projected on one day for one programme and
    team, and what they are worth: what the forecast reads, a few thousand rows however
    many participants there are (days × programmes × teams). Written only by
    ``milestones.forecast_days``: with every write of the rows it counts, and rebuilt
    from them each night."""

    day = models.DateField()
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("participants.Team", on_delete=models.CASCADE, related_name="+")
    milestones = models.IntegerField(default=0)
    # How many of them have an amount (a self-employed outcome has none), and its sum in
    # pence: whole numbers add up exactly on both engines.
    priced = models.IntegerField(default=0)
    amount_pence = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "programme", "team"], name="one_forecast_row_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.milestones}"

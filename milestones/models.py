"""The stored projection of each participant's milestones: what the recalculation writes
(milestones.recalculation) and what the Milestones page, claims and forecast read."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from milestones import claim_rules
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
    ``milestones.services`` (``record_claim``, and a PRaP claim's outcome for a
    self-employed one)."""

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

    @property
    def achieved_on(self) -> datetime.date | None:
        """The day the outcome was achieved: its projected date, once Achieved or Verified."""
        if self.status in (self.Status.ACHIEVED, self.Status.VERIFIED):
            return self.projected_date
        return None

    def claim_window(self, *, today: datetime.date) -> claim_rules.ClaimWindow | None:
        """When an achieved self-employed outcome must be claimed in PRaP by; None for
        the rest (employed outcomes are not claimed)."""
        if self.kind != self.Kind.SELF_EMPLOYMENT or self.achieved_on is None:
            return None
        return claim_rules.claim_window(achieved_on=self.achieved_on, today=today)


class ClaimAttempt(models.Model):
    """One submission of a self-employed outcome's claim in PRaP and what PRaP made of it.
    Written only by ``milestones.services`` (``submit_claim``, ``record_claim_outcome``),
    which allow at most ``claim_rules.SELF_EMPLOYED_CLAIM_ATTEMPTS`` per milestone."""

    class Outcome(models.TextChoices):
        PENDING = claim_rules.Outcome.PENDING, "Pending"
        ACCEPTED = claim_rules.Outcome.ACCEPTED, "Accepted"
        FAILED = claim_rules.Outcome.FAILED, "Failed"

    # The recalculation deletes the milestones it no longer wants, and their attempts
    # first (milestones.recalculation); their history keeps what was claimed.
    milestone = models.ForeignKey(
        ParticipantMilestone, on_delete=models.CASCADE, related_name="claim_attempts"
    )
    submitted_on = models.DateField("submitted in PRaP on")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome, default=Outcome.PENDING)
    failure_reason = models.TextField(
        blank=True, help_text="What PRaP gave as the reason the claim failed."
    )
    outcome_recorded_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="failed") | ~Q(failure_reason=""),
                name="claim_attempt_failure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", outcome_recorded_on__isnull=True)
                | (~Q(outcome="pending") & Q(outcome_recorded_on__isnull=False)),
                name="claim_attempt_outcome_dated",
            ),
            # One claim in PRaP at a time, and none after one is accepted.
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(outcome__in=["pending", "accepted"]),
                name="one_open_or_accepted_claim_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim submitted {self.submitted_on:%-d %b %Y}: {self.get_outcome_display()}"

    def clean(self) -> None:
        if self.outcome == self.Outcome.FAILED and not self.failure_reason.strip():
            raise ValidationError({"failure_reason": "Enter the reason PRaP gave."})


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

"""Programmes (contracts such as DWP Restart) and, later, their financial milestones."""

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

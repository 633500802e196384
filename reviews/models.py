"""The compliance review: the reasons and evidence checklist it works to (data an
administrator maintains), each decision on a tracker, what has been sent to
reviewers, the ready-to-claim exports and the second-line QA samples."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from trackers.models import EvidenceDocument, Tracker


class ReviewReason(models.Model):
    """Why a tracker is rejected or sent back for information: a maintained list."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    active = models.BooleanField(default=True, help_text="Only active reasons are offered.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class EvidenceRequirement(models.Model):
    """One item of the evidence checklist for a type of tracker: met by any current
    document of one of ``kinds``. Approval is refused while a required item is missing."""

    tracker_type = models.CharField(max_length=20, choices=Tracker.Type)
    name = models.CharField(max_length=200)
    kinds = models.JSONField(
        help_text='The document types that meet it, e.g. ["payslip"]: '
        + ", ".join(EvidenceDocument.Kind.values)
    )
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tracker_type", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_tracker_type_display()}: {self.name}"


class Decision(models.Model):
    """A reviewer's decision on a tracker, at the version they saw. Never changed."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approve"
        REJECTED = "rejected", "Reject"
        INFO_REQUESTED = "info_requested", "Request information"

    # The review status each outcome moves the tracker to.
    STATUS = {
        Outcome.APPROVED: Tracker.Status.APPROVED,
        Outcome.REJECTED: Tracker.Status.REJECTED,
        Outcome.INFO_REQUESTED: Tracker.Status.INFO_REQUESTED,
    }

    tracker = models.ForeignKey(Tracker, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome)
    reason = models.ForeignKey(ReviewReason, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(blank=True)
    tracker_version = models.PositiveIntegerField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        # The default order (the admin's changelist): no sort of the whole table.
        indexes = [models.Index(fields=["-decided_at", "-id"], name="decision_order")]
        permissions = [
            ("review_tracker", "Can take, release and decide on trackers of their teams"),
            ("assign_reviews", "Can see every reviewer's caseload and reassign trackers"),
            ("draw_sample", "Can draw second-line QA samples and record their results"),
            # The front end spans every app: the top one with models holds it. Staff
            # without it have only the admin (common/front_end.py).
            ("use_front_end", "Can use the casework pages, not only the admin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="approved") | Q(reason__isnull=False),
                name="decision_reason_unless_approved",
            ),
            # One decision per version: two reviewers deciding at once make one.
            models.UniqueConstraint(
                fields=["tracker", "tracker_version"], name="one_decision_per_tracker_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.tracker} ({self.decided_at:%-d %b %Y})"


class DigestSent(models.Model):
    """An overdue digest sent to a reviewer on a day: the digest goes once a day."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    items = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "sent_on"], name="one_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.items} overdue to {self.reviewer} on {self.sent_on:%-d %b %Y}"


class ClaimExport(models.Model):
    """A ready-to-claim CSV as it was exported: who, when, with which filters and rows."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filters = models.JSONField(default=dict, blank=True)
    milestone_ids = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField()
    content = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.row_count} milestones, {self.created_at:%-d %b %Y %H:%M}"


class QaSample(models.Model):
    """A seeded random sample of approved trackers drawn for second-line QA."""

    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField()
    filters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.percent}% of {self.population} approved trackers"


class QaSampleItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    sample = models.ForeignKey(QaSample, on_delete=models.CASCADE, related_name="items")
    tracker = models.ForeignKey(Tracker, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=10, choices=Result, default=Result.PENDING)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "tracker"], name="one_item_per_sampled_tracker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracker}: {self.get_result_display()}"

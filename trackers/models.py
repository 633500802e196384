"""Trackers (a participant's job or self-employment) and their evidence documents."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from organisations.models import Organisation

MAX_WEEKLY_HOURS = Decimal("100")


class TrackerQuerySet(models.QuerySet):
    def for_participant_list(self) -> "TrackerQuerySet":
        return self.select_related("organisation", "assignee").order_by("-start_date", "-id")

    def overlapping(self, tracker: "Tracker") -> "TrackerQuerySet":
        """The participant's other jobs with the same employer whose dates overlap it."""
        if tracker.organisation_id is None:
            return self.none()
        others = (
            self.filter(
                participant_id=tracker.participant_id,
                organisation_id=tracker.organisation_id,
                type=Tracker.Type.JOB,
            )
            .exclude(pk=tracker.pk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=tracker.start_date))
        )
        if tracker.end_date:
            others = others.filter(start_date__lte=tracker.end_date)
        return others


class Tracker(models.Model):
    class Type(models.TextChoices):
        JOB = "job", "Job"
        SELF_EMPLOYMENT = "self_employment", "Self-employment"

    class Status(models.TextChoices):
        """The review status: moved only by submitting for review and by the review's
        decisions (reviews.services), never by the tracker form."""

        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        INFO_REQUESTED = "info_requested", "Info requested"

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="trackers"
    )
    type = models.CharField(max_length=20, choices=Type, default=Type.JOB)
    status = models.CharField("review status", max_length=20, choices=Status, default=Status.NEW)
    submitted_at = models.DateTimeField("submitted for review", null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_trackers",
    )
    description = models.CharField("description (job title)", max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trackers",
    )
    start_date = models.DateField("employment start date")
    end_date = models.DateField(null=True, blank=True)
    end_note = models.TextField("note on the end of the job", blank=True)
    weekly_hours = models.DecimalField(
        "weekly working hours",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    hourly_rate = models.DecimalField(
        "hourly rate of pay (£)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    below_minimum_confirmed = models.BooleanField(
        "pay below the legal minimum confirmed",
        default=False,
        help_text="Set when staff confirmed a rate below the minimum wage for the age.",
    )
    # Optimistic locking: a save must name the version it was read at.
    version = models.PositiveIntegerField(default=1)
    # One per Create form shown, so a double-submitted form makes one tracker.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who last changed the job's details (not its review): four-eyes keeps them from
    # deciding on it.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["submission_token"])
    objects = TrackerQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["participant", "start_date"], name="tracker_participant_start"),
            models.Index(fields=["assignee", "status"], name="tracker_assignee_status"),
            models.Index(fields=["status", "submitted_at"], name="tracker_review_queue"),
            # The default order (the admin's changelist): no sort of the whole table.
            models.Index(fields=["-start_date", "-id"], name="tracker_start_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="tracker_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0, weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="tracker_weekly_hours_range",
            ),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="tracker_rate_positive"),
            models.CheckConstraint(
                condition=~Q(type="job") | Q(organisation__isnull=False),
                name="tracker_job_has_employer",
                violation_error_message="A job needs an employer organisation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.description}"

    # Review statuses that may still be submitted for review (after a correction).
    SUBMITTABLE = (Status.NEW, Status.REJECTED, Status.INFO_REQUESTED)
    # Review statuses waiting for a reviewer's decision.
    WAITING = (Status.NEW, Status.IN_REVIEW)
    # What an Approved tracker's approval rests on: changing any sends it back to review.
    REVIEWED_FIELDS = ("start_date", "end_date", "weekly_hours", "hourly_rate", "organisation")

    @property
    def waiting_for_review(self) -> bool:
        return self.status in self.WAITING

    @property
    def is_ended(self) -> bool:
        """The job's own state: ended once it has an end date (it may still be reviewed)."""
        return self.end_date is not None

    @property
    def weekly_pay(self) -> Decimal:
        return (self.weekly_hours * self.hourly_rate).quantize(Decimal("0.01"))


def evidence_path(instance: "EvidenceDocument", filename: str) -> str:
    """A random name: the name people gave the file is kept only as data."""
    return f"evidence/{uuid.uuid4().hex}"


class EvidenceDocumentQuerySet(models.QuerySet):
    def current(self) -> "EvidenceDocumentQuerySet":
        """Documents that have not been deleted."""
        return self.filter(deleted_at__isnull=True)


class EvidenceDocument(models.Model):
    class Kind(models.TextChoices):
        PAYSLIP = "payslip", "Payslip"
        CONTRACT = "contract", "Contract"
        OFFER_LETTER = "offer_letter", "Offer letter"
        EMPLOYER_CONFIRMATION = "employer_confirmation", "Employer confirmation"
        SELF_ASSESSMENT = "self_assessment", "Self-assessment"
        # What a self-employed outcome is evidenced with (reviews.defaults).
        HMRC_REGISTRATION = "hmrc_registration", "HMRC registration or UTR"
        TRADING_RECORDS = "trading_records", "Trading records or invoices"
        BANK_STATEMENT = "bank_statement", "Bank statement"
        OTHER = "other", "Other"

    tracker = models.ForeignKey(Tracker, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField("document type", max_length=30, choices=Kind, default=Kind.OTHER)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = EvidenceDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        # The default order (the admin's changelist): no sort of the whole table.
        indexes = [models.Index(fields=["uploaded_at", "id"], name="document_upload_order")]
        permissions = [("delete_evidence", "Can delete evidence documents")]

    def __str__(self) -> str:
        return self.original_name

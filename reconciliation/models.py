"""DWP's side of each outcome: the PRaP RTE notification files imported, their rows as
imported, and the notification held against each participant milestone.

None of this is stored on the milestones tables: the projection (``milestones``) is ours,
a notification is DWP's, and the two are shown side by side. The rules: see
``reconciliation.matching``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# Fields of a notification file, in the order the preview shows them. The column mapping
# names, for each, the headings a contract's export uses.
FIELDS = (
    "po_number",
    "nino",
    "surname",
    "date_of_birth",
    "programme",
    "notification_type",
    "date_created",
    "notification_date",
    "amount",
    "payment_status",
    "remittance_reference",
    "paid_date",
)
DEFAULT_COLUMNS = {
    "po_number": ["po_number", "po number", "po", "unique reference"],
    "nino": ["nino", "ni number", "national insurance number"],
    "surname": ["surname", "last name", "last_name"],
    "date_of_birth": ["dob", "date of birth", "date_of_birth"],
    "programme": ["programme", "provision"],
    "notification_type": ["notification_type", "notification type", "type"],
    "date_created": ["date_created", "date created", "date 1"],
    "notification_date": ["notification_date", "notification", "notification date", "date 2"],
    "amount": ["amount_gbp", "amount"],
    "payment_status": ["payment_status", "payment status"],
    "remittance_reference": ["remittance_ref", "remittance reference", "remittance_reference"],
    "paid_date": ["paid_date", "paid date", "remittance paid date"],
}


def default_columns() -> dict:
    return {field: list(names) for field, names in DEFAULT_COLUMNS.items()}


class ColumnMapping(models.Model):
    """How one contract's DWP export names its columns, kept as data because the exports
    vary by contract. Edited in admin; the import page offers every mapping."""

    name = models.CharField(max_length=100, unique=True)
    columns = models.JSONField(
        default=default_columns,
        help_text="For each field, the column headings that hold it (any case).",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The programme of every row, for a file with no programme column.",
    )
    po_number_prefix = models.CharField(
        "PO number prefix",
        max_length=30,
        blank=True,
        help_text="This provider's PO numbers start with it; a row with another is "
        "another provider's and is refused.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NotificationType(models.Model):
    """What one of DWP's notification types means for a programme: which of its
    milestones it confirms (a financial milestone, or the self-employment outcome)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        max_length=100, help_text="As the file writes it, e.g. “£3,000 earnings” (any case)."
    )
    financial_milestone = models.ForeignKey(
        "programmes.FinancialMilestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    self_employment = models.BooleanField("self-employed outcome", default=False)

    class Meta:
        ordering = ["programme", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label"], name="one_meaning_per_notification_type"
            ),
            models.CheckConstraint(
                condition=Q(financial_milestone__isnull=True, self_employment=True)
                | Q(financial_milestone__isnull=False, self_employment=False),
                name="notification_type_names_one_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.programme})"


class PrapReference(models.Model):
    """A participant's PO number in PRaP, the first key a notification is matched on.

    Recorded when a row matched on NINO carries one, when a Supervisor links an
    unmatched row, or in admin."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="prap_reference"
    )
    po_number = models.CharField("PO number", max_length=50, unique=True)

    class Meta:
        verbose_name = "PRaP reference"

    def __str__(self) -> str:
        return self.po_number


class NotificationImport(models.Model):
    """One uploaded notification file: who, when, its hash, the mapping used, and how
    many rows landed in each state. Kept for good, applied or not."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content = models.BinaryField(help_text="The file, so any server can apply it.")
    mapping = models.ForeignKey(ColumnMapping, on_delete=models.PROTECT, related_name="+")
    mapping_used = models.JSONField(help_text="The mapping as it was when the file was read.")
    ignored_columns = models.JSONField(default=list)
    counts = models.JSONField(default=dict, help_text="Rows per state.")
    status = models.CharField(max_length=20, choices=Status, default=Status.PREVIEWED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        permissions = [
            ("import_notifications", "Can import and reconcile DWP notifications"),
            ("view_worklists", "Can see and export the DWP worklists"),
        ]

    def __str__(self) -> str:
        return self.file_name

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def row_count(self) -> int:
        """The file's data rows, in every state."""
        return sum(self.counts.values())

    @property
    def applied_count(self) -> int:
        """The rows that applying records (or recorded): the matched ones."""
        return self.count(ImportedRow.State.MATCHED_NEW) + self.count(
            ImportedRow.State.MATCHED_UPDATED
        )


class ImportedRow(models.Model):
    """One data row of a file: its cells as imported, what was read from them, and the
    state matching gave it (again on applying, as the data may have moved on)."""

    class State(models.TextChoices):
        MATCHED_NEW = "matched_new", "Matched, new"
        MATCHED_UPDATED = "matched_updated", "Matched, updated"
        COMPLETE = "complete", "Complete"
        UNMATCHED = "unmatched", "Unmatched"
        CONFLICT = "conflict", "Conflict"
        INVALID = "invalid", "Cannot be read"

    class Resolution(models.TextChoices):
        NONE = "", "Open"
        LINKED = "linked", "Linked to a participant"
        DISMISSED = "dismissed", "Dismissed"

    notification_import = models.ForeignKey(
        NotificationImport, on_delete=models.CASCADE, related_name="rows"
    )
    line = models.PositiveIntegerField()
    raw = models.JSONField(help_text="Every cell of the row, by its column heading.")
    # What was read from the cells (empty or None when absent or unreadable).
    po_number = models.CharField(max_length=50, blank=True)
    nino = models.CharField(max_length=20, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    programme_name = models.CharField(max_length=200, blank=True)
    notification_type = models.CharField(max_length=100, blank=True)
    date_created = models.DateField(null=True, blank=True)
    notification_date = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    payment_status = models.CharField(max_length=50, blank=True)
    remittance_reference = models.CharField(max_length=100, blank=True)
    paid_date = models.DateField(null=True, blank=True)
    natural_key = models.CharField(max_length=200, blank=True)

    state = models.CharField(max_length=20, choices=State)
    message = models.CharField(max_length=500, blank=True)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Same surname and date of birth: only ever proposed, never applied.",
    )
    participant_milestone = models.ForeignKey(
        "milestones.ParticipantMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=20, choices=Resolution, blank=True)
    resolution_reason = models.CharField(max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notification_import", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification_import", "line"], name="one_row_per_line"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "resolution"], name="imported_row_queue"),
            # Each new file's waiting rows are looked up among earlier files' by their key.
            models.Index(fields=["natural_key"], name="imported_row_key"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_import} line {self.line}"


class DwpNotification(models.Model):
    """DWP's confirmation of one participant milestone: the latest notification applied
    (a later one replaces it only when DWP created it later)."""

    participant_milestone = models.OneToOneField(
        "milestones.ParticipantMilestone",
        on_delete=models.CASCADE,
        related_name="dwp_notification",
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="dwp_notifications"
    )
    natural_key = models.CharField(max_length=200)
    notification_type = models.CharField(max_length=100)
    date_created = models.DateField("DWP created")
    notification_date = models.DateField("DWP confirmed")
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    payment_status = models.CharField(max_length=50, blank=True)
    remittance_reference = models.CharField(max_length=100, blank=True)
    paid_date = models.DateField(null=True, blank=True)
    source_import = models.ForeignKey(
        NotificationImport, on_delete=models.PROTECT, related_name="notifications"
    )
    source_row = models.ForeignKey(
        ImportedRow, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Reconciled: the provider has matched DWP's payment to its bank's remittance.
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notification_date", "id"]

    def __str__(self) -> str:
        return f"{self.notification_type} on {self.notification_date:%-d %b %Y}"

    def same_as(self, values: dict) -> bool:
        """Whether a row says what is already held (then it is Complete)."""
        return all(getattr(self, name) == values[name] for name in values)


class Debit(models.Model):
    """Money DWP took back from a milestone's payment (clawback after validation, say),
    recorded with its reason. Only ever added, never edited."""

    participant_milestone = models.ForeignKey(
        "milestones.ParticipantMilestone", on_delete=models.CASCADE, related_name="dwp_debits"
    )
    amount = models.DecimalField("amount (£)", max_digits=10, decimal_places=2)
    debited_on = models.DateField("date of the debit")
    reference = models.CharField("debit reference", max_length=100, blank=True)
    reason = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["debited_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="debit_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} debited on {self.debited_on:%-d %b %Y}"

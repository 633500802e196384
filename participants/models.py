"""Teams, participants and participant imports.

Every participant belongs to one team; staff see the participants of their own teams
(see ``participants.access``).
"""

from django.conf import settings
from django.db import connections, models
from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower, Replace
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from common.uk import NINO_RE, NinoField, PostcodeField, format_nino
from programmes.models import Programme


class Team(models.Model):
    """A delivery team or subcontractor office."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _search_text() -> Lower:
    """Everything the grid searches, lower-cased in one column so one index serves it.

    The postcode appears twice, with and without its space, so "sw1a1aa" finds "SW1A 1AA".
    """
    space = Value(" ")
    return Lower(
        Concat(
            "reference", space, "first_name", space, "last_name", space,
            "nino", space, "postcode", space, Replace("postcode", space, Value("")),
            output_field=models.TextField(),
        )
    )  # fmt: skip


MAX_SEARCH_TERMS = 6
MAX_TERM_LENGTH = 100


def search_terms(text: str) -> list[str]:
    """Split what was typed into lower-case terms; a spaced NINO counts as one term."""
    # Control characters (NUL among them) can never be in a name; PostgreSQL refuses NUL.
    text = "".join(c if c.isprintable() else " " for c in (text or "")[:500]).lower()
    compact = "".join(text.split())
    if len(compact) == 9 and NINO_RE.match(compact.upper()):
        return [compact]
    return [term[:MAX_TERM_LENGTH] for term in text.split()[:MAX_SEARCH_TERMS]]


class ParticipantQuerySet(models.QuerySet):
    def search(self, text: str) -> "ParticipantQuerySet":
        """Participants whose name, reference, NINO or postcode contain every term.

        Uses the trigram index of each engine (see migration 0002): a GIN index on
        PostgreSQL, which serves ``LIKE '%term%'`` directly, and an FTS5 trigram table on
        SQLite, which needs MATCH. Terms shorter than three characters cannot use a
        trigram index on either engine and fall back to a scan, which pagination bounds.
        """
        terms = search_terms(text)
        if len(terms) == 1 and NINO_RE.match(terms[0].upper()):
            # A whole NINO is one participant's: the unique index finds it at once, where
            # its trigrams ("ab1", "123" ...) are shared by most NINOs and read thousands.
            return self.filter(nino=terms[0].upper()).exclude(nino="")
        queryset = self
        use_fts = connections[self.db].vendor == "sqlite"
        phrases = []
        for term in terms:
            if use_fts and len(term) >= 3:
                phrases.append('"' + term.replace('"', '""') + '"')
            else:
                queryset = queryset.filter(search_text__contains=term)
        if phrases:
            # One MATCH for every term: FTS5 intersects them itself, where a subquery per
            # term made SQLite build and probe a list of each (200 ms to 40 ms for
            # "patel amelia" at 250,000).
            queryset = queryset.filter(
                pk__in=RawSQL(
                    "SELECT rowid FROM participants_participant_fts "
                    "WHERE participants_participant_fts MATCH %s",
                    [" AND ".join(phrases)],
                )
            )
        return queryset


class Participant(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nino = NinoField("National Insurance number", blank=True)
    postcode = PostcodeField()
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participants")
    programme_start_date = models.DateField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="participants")
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advised_participants",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.GeneratedField(
        expression=_search_text(), output_field=models.TextField(), db_persist=True
    )

    # Optimistic locking (common.versions): an edit must name the version it was read at.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [
            ("view_all_teams", "Can see participants of every team"),
            ("import_participants", "Can import participants from a CSV file"),
            ("export_subject_access", "Can download everything held on a participant"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="participant_name_order"),
            models.Index(
                fields=["team", "last_name", "first_name", "id"], name="participant_team_order"
            ),
            # "Participants of these teams" as ids only, read from the index alone: what
            # every team-scoped list (trackers in the review queue, say) checks rows against.
            models.Index(fields=["team", "id"], name="participant_team_members"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nino"],
                condition=~Q(nino=""),
                name="participant_nino_unique",
                violation_error_message="Another participant already has this NI number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.reference})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def nino_display(self) -> str:
        return format_nino(self.nino)


class ParticipantImport(models.Model):
    """An uploaded referral file, kept between its preview and its confirmation.

    The file's text is stored so that any app server can confirm it (no local state),
    and so that there is a record of who imported what.
    """

    file_name = models.CharField(max_length=255)
    content = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name


class AccessLogEntry(models.Model):
    """Someone read one participant's record: who, when, how and which page or file.

    Only ever added to (``participants.access_log.record_access``), never edited; it names
    what was read (the URL's name and path, which hold ids only), never the data itself.
    """

    class Kind(models.TextChoices):
        VIEWED = "viewed", "Page viewed"
        DOWNLOADED = "downloaded", "Evidence downloaded"
        EXPORTED = "exported", "Export"
        SUBJECT_ACCESS = "subject_access", "Subject-access export"

    # No index of their own: those below lead with each (an export logs 100,000 rows at
    # once, and each index is written for every one).
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="access_log", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind)
    url_name = models.CharField("page", max_length=100)
    path = models.CharField(max_length=300)

    class Meta:
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        ordering = ["-at", "-id"]
        # The log page filters by participant, by user and by date, newest first.
        indexes = [
            models.Index(fields=["participant", "-at"], name="access_log_participant"),
            models.Index(fields=["user", "-at"], name="access_log_user"),
            # The admin's order (newest first, then id), answered by the index alone.
            models.Index(fields=["-at", "-id"], name="access_log_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url_name} by {self.user} at {self.at:%-d %b %Y %H:%M}"

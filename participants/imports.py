"""Importing participant referrals from a CSV file: read it, preview it, import it.

The preview and the import run the same checks: every row goes through
``ParticipantForm``, so team scoping and field validation match the add page, and rows
already on the tracker (or earlier in the file) are reported as duplicates and skipped.
A file with any invalid row is refused whole. Nothing here knows about requests.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from common.spreadsheets import NotUtf8Text, utf8_text
from common.uk import format_nino, normalise_nino
from participants.forms import ParticipantForm
from participants.models import Participant, ParticipantImport, Team
from programmes.models import Programme

# The add form's fields, in its order; every column but the adviser must be present.
COLUMNS = tuple(ParticipantForm.Meta.fields)
REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column != "adviser")
BATCH_SIZE = 1000

_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# The add form's wording suits a drop-down; a file needs to say what was wrong with it.
_MESSAGES = {
    ("team", "invalid_choice"): "You cannot import into the team “{value}”.",
    ("adviser", "invalid_choice"): "“{value}” is not active staff in a team you can import into.",
    ("date_of_birth", "invalid"): "Enter the date as YYYY-MM-DD or DD/MM/YYYY.",
    ("programme_start_date", "invalid"): "Enter the date as YYYY-MM-DD or DD/MM/YYYY.",
}

# Columns holding names, which the form needs as ids, and what to say when one is unknown.
_NAMED = {
    "programme": "There is no programme called “{value}”.",
    "team": "There is no team called “{value}”.",
    "adviser": "There is no member of staff with the username “{value}”.",
}

Row = tuple[int, dict[str, str]]
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The file cannot be read or imported; the message says why, for its uploader."""


@dataclass(frozen=True)
class PreviewRow:
    """One data row of the file: what it holds and what importing would do with it."""

    line: int
    values: Mapping[str, str]
    errors: Mapping[str, tuple[str, ...]]
    duplicate: str

    @property
    def name(self) -> str:
        return f"{self.values['first_name']} {self.values['last_name']}".strip()

    @property
    def error_messages(self) -> list[str]:
        """Each error prefixed by the column it is about, as the file's header names it."""
        return [
            message if column == NON_FIELD_ERRORS else f"{column}: {message}"
            for column, messages in self.errors.items()
            for message in messages
        ]


@dataclass(frozen=True)
class ImportPreview:
    """Every data row of a file, with totals: new rows, duplicates to skip, rows in error."""

    rows: tuple[PreviewRow, ...]
    new_count: int
    duplicate_count: int
    error_count: int

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def problem_count(self) -> int:
        return self.duplicate_count + self.error_count

    @property
    def problem_rows(self) -> Iterator[PreviewRow]:
        """The rows with errors or duplicates, in file order."""
        return (row for row in self.rows if row.errors or row.duplicate)


def decode_csv(data: bytes) -> str:
    """The text of an uploaded file, which must be UTF-8 (a byte order mark is dropped)."""
    try:
        return utf8_text(data)
    except NotUtf8Text as refusal:
        raise ImportRefused(str(refusal)) from None


def read_csv(text: str) -> list[Row]:
    """The data rows of the file as (line number, {column: value}), header checked.

    Column names are matched case-insensitively ("First name" is ``first_name``); extra
    columns are ignored; blank rows are skipped. Raises ``ImportRefused`` when the file
    is empty, lacks a column, or is not a CSV file at all.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise ImportRefused("The file is empty.")
        columns = [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in header]
        _check_columns(columns)
        rows = []
        line = reader.line_num
        for cells in reader:
            first_line, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(columns, cells, strict=False))
            rows.append((first_line, {name: values.get(name, "").strip() for name in COLUMNS}))
    except csv.Error as error:
        raise ImportRefused(
            f"The file is not a valid CSV file (line {reader.line_num}: {error})."
        ) from error
    if not rows:
        raise ImportRefused("The file has a header row but no referrals under it.")
    return rows


def _check_columns(columns: list[str]) -> None:
    repeated = sorted({name for name in columns if name in COLUMNS and columns.count(name) > 1})
    if repeated:
        raise ImportRefused(f"These columns appear more than once: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportRefused(
            f"The file is missing the columns {', '.join(missing)}. The first row must "
            f"name the columns: {', '.join(COLUMNS)} (adviser is optional)."
        )


def preview_import(*, content: str, importer: AbstractBaseUser) -> ImportPreview:
    """What importing the file as ``importer`` would do, row by row. Writes nothing."""
    preview, _ = _check(content=content, importer=importer)
    return preview


def start_import(
    *, file_name: str, content: str, uploaded_by: AbstractBaseUser
) -> ParticipantImport:
    """Keep a file's text until its preview is confirmed. Saves a ``ParticipantImport``."""
    participant_import = ParticipantImport(
        file_name=file_name[:255], content=content, uploaded_by=uploaded_by
    )
    participant_import.full_clean()
    participant_import.save()
    return participant_import


@transaction.atomic
def import_participants(
    *,
    participant_import: ParticipantImport,
    imported_by: AbstractBaseUser,
    progress: Progress | None = None,
) -> ParticipantImport:
    """Create a participant for every new row of the file, or none at all.

    The rows are checked again, as the data may have changed since the preview. Creates
    the participants and their history records (``imported_by`` as the user), and marks
    the import as done. Calls ``progress(done, total)`` after each batch of rows. Raises
    ``ImportRefused``, having written nothing, when any row has errors or the file was
    already imported.
    """
    locked = ParticipantImport.objects.select_for_update().get(pk=participant_import.pk)
    if locked.imported_at:
        raise ImportRefused(f"{locked.file_name} has already been imported.")
    preview, participants = _check(content=locked.content, importer=imported_by)
    if preview.error_count:
        raise ImportRefused(
            f"{preview.error_count:,} {'row has' if preview.error_count == 1 else 'rows have'} "
            "errors, so nothing was imported. Correct the file and upload it again."
        )
    reason = f"Imported from {locked.file_name}"[:100]
    try:
        for start in range(0, len(participants), BATCH_SIZE):
            batch = participants[start : start + BATCH_SIZE]
            bulk_create_with_history(
                batch, Participant, default_user=imported_by, default_change_reason=reason
            )
            if progress:
                progress(start + len(batch), len(participants))
    except IntegrityError as error:
        raise ImportRefused(
            "Someone added one of these participants while the file was being imported, "
            "so nothing was imported. Check the file again."
        ) from error
    participant_import.imported_at = timezone.now()
    participant_import.imported_count = len(participants)
    participant_import.save(update_fields=["imported_at", "imported_count"])
    return participant_import


def _check(*, content: str, importer: AbstractBaseUser) -> tuple[ImportPreview, list[Participant]]:
    """The preview, and the unsaved participants of the rows that would be imported."""
    rows = read_csv(content)
    existing = _ExistingParticipants(rows)
    lookups = _Lookups(importer)
    seen_references: dict[str, int] = {}
    seen_ninos: dict[str, int] = {}
    preview_rows = []
    participants = []
    for line, values in rows:
        reference = values["reference"].upper()
        nino = normalise_nino(values["nino"])
        duplicate = _duplicate_reason(
            reference, nino, existing=existing, references=seen_references, ninos=seen_ninos
        )
        errors = {}
        if not duplicate:
            if reference:
                seen_references[reference] = line
            if nino:
                seen_ninos[nino] = line
            form, errors = _validate(values, lookups=lookups, importer=importer)
            if not errors:
                participants.append(form.instance)
        preview_rows.append(
            PreviewRow(line=line, values=values, errors=errors, duplicate=duplicate)
        )
    preview = ImportPreview(
        rows=tuple(preview_rows),
        new_count=len(participants),
        duplicate_count=sum(1 for row in preview_rows if row.duplicate),
        error_count=sum(1 for row in preview_rows if row.errors),
    )
    return preview, participants


def _duplicate_reason(
    reference: str,
    nino: str,
    *,
    existing: "_ExistingParticipants",
    references: dict[str, int],
    ninos: dict[str, int],
) -> str:
    if reference in existing.references:
        return f"reference {reference} is already on the tracker"
    if nino in existing.ninos:
        return f"National Insurance number {format_nino(nino)} is already on the tracker"
    if reference in references:
        return f"same reference as line {references[reference]}"
    if nino in ninos:
        return f"same National Insurance number as line {ninos[nino]}"
    return ""


def _validate(
    values: Mapping[str, str], *, lookups: "_Lookups", importer: AbstractBaseUser
) -> tuple["_RowForm", dict[str, tuple[str, ...]]]:
    """The row through the add form, with names turned into the ids the form expects."""
    data = {name: values[name] for name in COLUMNS}
    for name in ("date_of_birth", "programme_start_date"):
        data[name] = _iso_date(data[name])
    errors = {}
    for name in _NAMED:
        if data[name]:
            pk = lookups.pk(name, data[name])
            if pk is None:
                errors[name] = (_NAMED[name].format(value=data[name]),)
            data[name] = pk or ""
    form = _RowForm(data, user=importer, choices=lookups.choices)
    if not form.is_valid():
        for name, form_errors in form.errors.as_data().items():
            if name not in errors:
                errors[name] = tuple(
                    _MESSAGES[name, error.code].format(value=values.get(name))
                    if (name, error.code) in _MESSAGES
                    else message
                    for error in form_errors
                    for message in error.messages
                )
    order = (*COLUMNS, NON_FIELD_ERRORS)
    return form, {name: errors[name] for name in order if name in errors}


def _iso_date(value: str) -> str:
    """DD/MM/YYYY as YYYY-MM-DD; anything else as it is, for the form to judge."""
    match = _DMY_DATE.match(value)
    if not match:
        return value
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return value


class _ExistingParticipants:
    """The references (upper-cased) and NINOs of the file that are already on the tracker."""

    def __init__(self, rows: list[Row]):
        references = sorted({values["reference"].upper() for _, values in rows} - {""})
        ninos = sorted({normalise_nino(values["nino"]) for _, values in rows} - {""})
        self.references: set[str] = set()
        self.ninos: set[str] = set()
        # Batches keep each query under every engine's limit on parameters.
        for start in range(0, len(references), BATCH_SIZE):
            self.references.update(
                Participant.objects.annotate(upper_reference=Upper("reference"))
                .filter(upper_reference__in=references[start : start + BATCH_SIZE])
                .order_by()
                .values_list("upper_reference", flat=True)
            )
        for start in range(0, len(ninos), BATCH_SIZE):
            self.ninos.update(
                Participant.objects.filter(nino__in=ninos[start : start + BATCH_SIZE])
                .order_by()
                .values_list("nino", flat=True)
            )


class _KnownChoiceField(forms.ModelChoiceField):
    """A form's choice field with its (scoped) queryset read once, for every row of a file."""

    def __init__(self, field: forms.ModelChoiceField):
        super().__init__(
            queryset=field.queryset, required=field.required, error_messages=field.error_messages
        )
        self.objects = {str(obj.pk): obj for obj in field.queryset}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class _RowForm(ParticipantForm):
    """The add form, checking one row of a file: the same fields, choices and checks.

    What the add form asks the database for each submission is asked once per file
    instead: the choices (read from the same scoped querysets) and uniqueness (checked
    for all rows at once by ``_ExistingParticipants``).
    """

    BULK_CHECKED = {"reference", "nino", "programme", "team", "adviser"}

    def __init__(self, data, *, user: AbstractBaseUser, choices: dict[str, _KnownChoiceField]):
        super().__init__(data, user=user)
        self.fields.update(choices)

    def clean_reference(self) -> str:
        # Whether another participant has it is checked for the whole file at once.
        return self.cleaned_data["reference"].strip().upper()

    def clean_nino(self) -> str:
        return self.cleaned_data["nino"]

    def _get_validation_exclusions(self) -> set[str]:
        # The model would query the database per row: uniqueness of the reference and
        # NINO, and that each foreign key exists (the choice fields have just found it).
        return super()._get_validation_exclusions() | self.BULK_CHECKED


class _Lookups:
    """What every row looks up, read once per file: the importer's choices, and the ids of
    programmes and teams by name (any case) and of staff by username.

    All of these tables are small: programmes, teams and staff, not participants.
    """

    def __init__(self, importer: AbstractBaseUser):
        form = ParticipantForm(user=importer)
        self.choices = {name: _KnownChoiceField(form.fields[name]) for name in _NAMED}
        self.programmes = {
            name.casefold(): pk for pk, name in Programme.objects.values_list("pk", "name")
        }
        self.teams = {name.casefold(): pk for pk, name in Team.objects.values_list("pk", "name")}
        self.advisers = dict(get_user_model().objects.values_list("username", "pk"))

    def pk(self, column: str, value: str) -> int | None:
        if column == "adviser":
            return self.advisers.get(value)
        return {"programme": self.programmes, "team": self.teams}[column].get(value.casefold())

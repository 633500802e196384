"""Evidence files: checking uploads, and storing them so that none outlives a failed save.

Everything that decides whether a file may be kept, and everything that writes one to
storage, lives here; ``trackers.services.add_evidence`` is the one writer that uses it,
so the tracker's create page and the upload page accept exactly the same files and never
leave a stored file without its row.

Allowed: PDF, JPEG and PNG, each at most 10 MB, the type read from the content. Word
files (DOCX) are not accepted: a DOCX is a ZIP archive that would need its own checks
against zip bombs, macros and external links, and every document the issue names
(payslips, contracts, letters, confirmations) can be saved or printed as a PDF.
"""

import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from trackers.models import EvidenceDocument, Tracker

logger = logging.getLogger(__name__)

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 10
# Django cuts longer names down to 255 characters (keeping the extension), so a name of
# 255 may already have been cut: refuse it rather than keep a name the user never gave.
MAX_NAME_LENGTH = 254

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
ACCEPT = ",".join([*EXTENSIONS, *TYPE_LABELS])

# How much of the start and end of a file is read to tell its type and find polyglots.
HEAD_SIZE = 8 * 1024
TAIL_SIZE = 1024
# Markup a browser would treat as a web page: a PDF that carries it is a polyglot.
HTML_MARKERS = (b"<html", b"<script", b"<!doctype", b"<body", b"<iframe", b"<svg")
ENCRYPT_MARKER = b"/Encrypt"
# Control and format characters (among them U+202E, which shows "fdp.exe" as "exe.pdf"),
# and line and paragraph separators.
FORBIDDEN_NAME_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _shown_name(name: str) -> str:
    """The file name as it may appear in a message: printable, and not too long."""
    shown = "".join(
        char for char in name if unicodedata.category(char) not in FORBIDDEN_NAME_CATEGORIES
    )
    return shown if len(shown) <= 60 else f"{shown[:40]}…{shown[-15:]}"


def _check_name(name: str) -> None:
    shown = _shown_name(name)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"The name of {shown} is longer than {MAX_NAME_LENGTH} characters. "
            "Give the file a shorter name and upload it again.",
            code="name_too_long",
        )
    if (
        "/" in name
        or "\\" in name
        or any(unicodedata.category(char) in FORBIDDEN_NAME_CATEGORIES for char in name)
    ):
        raise ValidationError(
            f"The name of {shown} contains a character that cannot be used in a file name "
            "(a slash, a control character or a text-direction mark). Rename the file and "
            "upload it again.",
            code="name_characters",
        )


def _read_head_and_tail(upload: UploadedFile) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    upload.seek(max(0, upload.size - TAIL_SIZE))
    tail = upload.read(TAIL_SIZE)
    upload.seek(0)
    return head, tail


def _detect_type(head: bytes) -> str | None:
    """The content type from the file's first bytes (its magic number), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _contains(upload: UploadedFile, marker: bytes) -> bool:
    """Whether the marker occurs anywhere in the file, read a chunk at a time."""
    overlap = b""
    for chunk in upload.chunks():
        if marker in overlap + chunk:
            return True
        overlap = chunk[-(len(marker) - 1) :]
    return False


def _check_pdf(upload: UploadedFile, head: bytes, tail: bytes, shown: str) -> None:
    if b"%%EOF" not in tail:
        raise ValidationError(
            f"{shown} is not a complete PDF file (it may have been cut short). "
            "Save it again and upload the new copy.",
            code="pdf_incomplete",
        )
    if any(marker in part.lower() for marker in HTML_MARKERS for part in (head, tail)):
        raise ValidationError(
            f"{shown} contains web page code (HTML or script), which a PDF should not. "
            "Save it as a PDF again, for example with Print → Save as PDF, and upload "
            "the new copy.",
            code="pdf_polyglot",
        )
    # Encrypted files cannot be checked or opened by whoever audits the claim.
    if _contains(upload, ENCRYPT_MARKER):
        raise ValidationError(
            f"{shown} is protected by a password or encrypted. Upload a copy without a password.",
            code="pdf_encrypted",
        )


def _check_image(upload: UploadedFile, content_type: str, shown: str) -> None:
    label = TYPE_LABELS[content_type]
    upload.seek(0)
    try:
        image = Image.open(upload, formats=[label])
        # Checked here as well as by Pillow, which only warns up to twice the limit.
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError
        if content_type == PNG:
            image.verify()
        else:
            # A JPEG is only known to be whole once decoded; at an eighth of its size
            # that costs a sixty-fourth of the memory.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"{shown} has too many pixels to be checked safely. "
            "Upload a smaller picture, or a PDF.",
            code="image_too_large",
        ) from error
    except Exception as error:  # Pillow raises many kinds of error for a broken file.
        raise ValidationError(
            f"{shown} is not a readable {label} image. Save it again and upload the new copy.",
            code="image_invalid",
        ) from error


def check_upload(upload: UploadedFile) -> str:
    """The content type of an evidence file, read from its content.

    Raises ValidationError, with a message naming the file, when the file is empty, too
    large, badly named, not a PDF, JPEG or PNG, a PDF with web page code in it or a
    password on it, a broken or oversized image, or named for a type it is not.
    """
    name = upload.name or ""
    _check_name(name)
    shown = _shown_name(name)
    if not upload.size:
        raise ValidationError(f"{shown} is empty.", code="empty")
    if upload.size > MAX_SIZE:
        raise ValidationError(f"{shown} is larger than 10 MB.", code="too_large")
    head, tail = _read_head_and_tail(upload)
    content_type = _detect_type(head)
    if content_type is None:
        raise ValidationError(f"{shown} is not a PDF, JPEG or PNG file.", code="wrong_type")
    try:
        if content_type == PDF:
            _check_pdf(upload, head, tail, shown)
        else:
            _check_image(upload, content_type, shown)
    finally:
        upload.seek(0)
    extension = os.path.splitext(name)[1].lower()
    if EXTENSIONS.get(extension) != content_type:
        label = TYPE_LABELS[content_type]
        expected = " or ".join(ext for ext, kind in EXTENSIONS.items() if kind == content_type)
        raise ValidationError(
            f"{shown} is a {label} file, but its name does not end {expected}. "
            f"Rename it to end {expected} and upload it again.",
            code="wrong_extension",
        )
    return content_type


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Any number of evidence files (up to MAX_FILES), each checked by check_upload.

    Cleans to a list of UploadedFile objects (empty when none was chosen and the field
    is optional). Every bad file is named in the field's one message, so that all can be
    fixed at once.
    """

    default_error_messages = {"required": "Choose a file to upload."}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"PDF, JPEG or PNG files, each up to 10 MB; up to {MAX_FILES} at a time.",
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        if isinstance(data, UploadedFile):
            data = [data]
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                f"Choose at most {MAX_FILES} files at a time (you chose {len(uploads)}).",
                code="too_many",
            )
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(" ".join(message for error in errors for message in error))
        return uploads


# The storage names of the files saved inside the outermost files_removed_on_failure().
_stored_files: ContextVar[list[str] | None] = ContextVar("stored_evidence_files", default=None)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """A transaction that also takes back the evidence files stored in it.

    If anything in the block, or the commit, raises, the transaction is rolled back, the
    files ``store_document`` saved inside the block are deleted from default_storage, and
    the error is raised again. Blocks nest: an inner block that fails removes its own
    files, and the outermost block removes every file stored inside it, so a failure
    after an inner block has finished still leaves no file behind.
    """
    token = _stored_files.set([]) if _stored_files.get() is None else None
    stored = _stored_files.get()
    first = len(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in stored[first:]:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("Could not remove the evidence file %s after a failed save", name)
        del stored[first:]
        raise
    finally:
        if token is not None:
            _stored_files.reset(token)


def store_document(
    upload: UploadedFile, *, tracker: Tracker, kind: str, uploaded_by: AbstractBaseUser
) -> EvidenceDocument:
    """Store the upload and record it as an evidence document of the tracker.

    Side effects: saves the file to default_storage under ``evidence/<random hex>`` (the
    user's file name is kept only in the row) and creates its EvidenceDocument row (and
    history row) with its SHA-256, size, detected type and uploader. The file is checked
    again with check_upload, so nothing unchecked is ever kept. Only inside
    ``files_removed_on_failure()``, which removes the file if the save fails.
    """
    stored = _stored_files.get()
    if stored is None:
        raise RuntimeError("Store evidence inside files_removed_on_failure().")
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    document = EvidenceDocument(
        tracker=tracker,
        original_name=os.path.basename(upload.name),
        kind=kind,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=uploaded_by,
    )
    # The field names the file with evidence_path: evidence/<random hex>.
    document.file.save(upload.name, upload, save=False)
    stored.append(document.file.name)
    document._history_user = uploaded_by
    document.full_clean()
    document.save()
    return document

"""Evidence files: checking uploads, and storing them so that none outlives a failed save.

Everything that decides whether a file may be kept, and everything that writes one to
storage, lives here (what a PDF or an image holds is read by ``trackers.file_contents``,
viruses are found by ``common.virus_scan``). ``trackers.services.add_evidence`` is the
one writer that uses it, so the tracker's create page and the upload page accept exactly
the same files and never leave a stored file without its row.

Allowed: PDF, JPEG and PNG, each at most 10 MB, the type read from the content, with no
virus the scanner knows of; a PDF without active content (scripts, actions that start
programs, attachments, media, XFA forms) or password; an image with nothing hidden after
it, stored as its pixels only. Word files (DOCX) are not accepted: a DOCX is a ZIP
archive that would need its own checks against zip bombs, macros and external links, and
every document the issue names (payslips, contracts, letters, confirmations) can be
saved or printed as a PDF.
"""

import hashlib
import io
import logging
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import pikepdf
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from common import virus_scan
from trackers import file_contents
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

# How much of the start of a file is read to tell its type.
HEAD_SIZE = 8 * 1024
# Markup a browser would treat as a web page: a PDF that carries it is a polyglot.
HTML_MARKERS = (b"<html", b"<script", b"<!doctype", b"<body", b"<iframe", b"<svg")
PDF_END = b"%%EOF"
# What may follow the end of a file: line ends after a PDF's %%EOF, zero padding after
# an image's end marker (some cameras write it).
PDF_PADDING = b" \t\r\n\x00"
IMAGE_PADDING = b"\x00"
# Control and format characters (among them U+202E, which shows "fdp.exe" as "exe.pdf"),
# and line and paragraph separators.
FORBIDDEN_NAME_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
RESAVE_PDF = "Save it again with Print → Save as PDF and upload the new copy."


@dataclass(frozen=True)
class CheckedFile:
    """An evidence file that check_upload accepted, as it will be stored.

    Only check_upload makes one and store_document takes nothing else, so nothing
    unchecked is ever kept. ``content`` is what is stored: a PDF as it was uploaded, an
    image encoded again; ``size`` and ``sha256`` are those of the content.
    """

    name: str
    content_type: str
    content: File
    size: int
    sha256: str


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


def _check_for_malware(upload: UploadedFile, shown: str) -> None:
    upload.seek(0)
    try:
        signature = virus_scan.find_malware(upload)
    except virus_scan.ScanUnavailable as error:
        # Failing closed: a file that could not be scanned is not kept.
        logger.error("Could not scan an evidence upload for viruses: %s", error)
        raise ValidationError(
            f"{shown} could not be checked for viruses, so it has not been saved. Try again "
            "in a few minutes, and tell your administrator if it keeps happening.",
            code="scan_unavailable",
        ) from error
    finally:
        upload.seek(0)
    if signature:
        logger.warning("Refused an evidence upload in which clamd found %s", signature)
        raise ValidationError(
            f"{shown} contains a virus or malware ({signature}). It has not been saved.",
            code="malware",
        )


def _detect_type(head: bytes) -> str | None:
    """The content type from the file's first bytes (its magic number), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _check_pdf(data: bytes, shown: str) -> None:
    end = data.rfind(PDF_END)
    if end < 0:
        raise ValidationError(
            f"{shown} is not a complete PDF file (it may have been cut short). "
            "Save it again and upload the new copy.",
            code="pdf_incomplete",
        )
    if data[end + len(PDF_END) :].strip(PDF_PADDING):
        raise ValidationError(
            f"{shown} has other data after the end of the PDF, which may hide another "
            f"file. {RESAVE_PDF}",
            code="pdf_trailing_data",
        )
    lowered = data.lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        raise ValidationError(
            f"{shown} contains web page code (HTML or script), which a PDF should not. "
            "Save it as a PDF again, for example with Print → Save as PDF, and upload "
            "the new copy.",
            code="pdf_polyglot",
        )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise _encrypted_pdf(shown) from error
    except Exception as error:  # qpdf raises many kinds of error for a broken file.
        raise _broken_pdf(shown) from error
    with pdf:
        if pdf.is_encrypted:
            raise _encrypted_pdf(shown)
        try:
            active = file_contents.active_content(pdf)
        except pikepdf.PdfError as error:  # an object qpdf only reads when asked for it
            raise _broken_pdf(shown) from error
    if active:
        raise ValidationError(
            f"{shown} contains active content ({active}), which evidence files must not. "
            f"{RESAVE_PDF}",
            code="pdf_active_content",
        )


def _broken_pdf(shown: str) -> ValidationError:
    return ValidationError(
        f"{shown} is not a readable PDF file (it may be damaged). "
        "Save it again and upload the new copy.",
        code="pdf_invalid",
    )


def _encrypted_pdf(shown: str) -> ValidationError:
    # Encrypted files cannot be checked or opened by whoever audits the claim.
    return ValidationError(
        f"{shown} is protected by a password or encrypted. Upload a copy without a password.",
        code="pdf_encrypted",
    )


@contextmanager
def _refused_if_unreadable(shown: str, label: str) -> Iterator[None]:
    """Pillow's errors for a broken image, or one too large to decode, as refusals."""
    try:
        yield
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


def _check_image(data: bytes, content_type: str, shown: str) -> bytes:
    """The image's pixels encoded again, once the image is known to be whole, not too
    large, and followed by nothing."""
    label = TYPE_LABELS[content_type]
    with _refused_if_unreadable(shown, label):
        with Image.open(io.BytesIO(data), formats=[label]) as image:
            # Checked here as well as by Pillow, which only warns up to twice the limit.
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError
            if content_type == PNG:
                image.verify()  # every chunk's checksum
        end = file_contents.image_end(data, label)
    if data[end:].strip(IMAGE_PADDING):
        raise ValidationError(
            f"{shown} has other data after the end of the picture, which may hide another "
            "file. Save the picture again, or take a screenshot of it, and upload the new "
            "copy.",
            code="image_trailing_data",
        )
    with (
        _refused_if_unreadable(shown, label),
        Image.open(io.BytesIO(data), formats=[label]) as image,
    ):
        return file_contents.pixels_only(image, label)


def _digest(content: File) -> tuple[int, str]:
    """The size and SHA-256 of the content, read a chunk at a time."""
    digest = hashlib.sha256()
    size = 0
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return size, digest.hexdigest()


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The evidence file as it will be stored, once its name, size and content are checked.

    Raises ValidationError, with a message naming the file, when the file is badly named,
    empty, too large, not a PDF, JPEG or PNG, a PDF with web page code, active content
    (scripts, actions that start programs, attachments, media, XFA forms) or a password,
    a broken or oversized image, a file with another hidden after its end, named for a
    type it is not, or found by the virus scanner (or the scanner could not be asked).
    JPEG and PNG images are encoded again, so only their pixels are kept.
    """
    name = upload.name or ""
    _check_name(name)
    shown = _shown_name(name)
    if not upload.size:
        raise ValidationError(f"{shown} is empty.", code="empty")
    if upload.size > MAX_SIZE:
        raise ValidationError(f"{shown} is larger than 10 MB.", code="too_large")
    upload.seek(0)
    try:
        data = upload.read()
    finally:
        upload.seek(0)
    content_type = _detect_type(data[:HEAD_SIZE])
    if content_type is None:
        raise ValidationError(f"{shown} is not a PDF, JPEG or PNG file.", code="wrong_type")
    if content_type == PDF:
        _check_pdf(data, shown)
        content = upload
    else:
        content = ContentFile(_check_image(data, content_type, shown))
    extension = os.path.splitext(name)[1].lower()
    if EXTENSIONS.get(extension) != content_type:
        label = TYPE_LABELS[content_type]
        expected = " or ".join(ext for ext, kind in EXTENSIONS.items() if kind == content_type)
        raise ValidationError(
            f"{shown} is a {label} file, but its name does not end {expected}. "
            f"Rename it to end {expected} and upload it again.",
            code="wrong_extension",
        )
    # Last, so that each file gets the most specific message, and clamd (which knows some
    # of the same tricks) only sees files that passed everything else.
    _check_for_malware(upload, shown)
    size, sha256 = _digest(content)
    return CheckedFile(
        name=os.path.basename(name),
        content_type=content_type,
        content=content,
        size=size,
        sha256=sha256,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Any number of evidence files (up to MAX_FILES), each checked by check_upload.

    Cleans to a list of CheckedFile objects, ready to store (empty when none was chosen
    and the field is optional). Every bad file is named in the field's one message, so that all can be
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

    def clean(self, data, initial=None) -> list[CheckedFile]:
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
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(" ".join(message for error in errors for message in error))
        return checked


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
    checked: CheckedFile, *, tracker: Tracker, kind: str, uploaded_by: AbstractBaseUser
) -> EvidenceDocument:
    """Store the checked file and record it as an evidence document of the tracker.

    Side effects: saves the file's content (see CheckedFile) to default_storage under
    ``evidence/<random hex>`` (the user's file name is kept only in the row) and creates
    its EvidenceDocument row (and history row) with the content's SHA-256 and size, its
    detected type and uploader. Only inside ``files_removed_on_failure()``, which removes
    the file if the save fails.
    """
    stored = _stored_files.get()
    if stored is None:
        raise RuntimeError("Store evidence inside files_removed_on_failure().")
    document = EvidenceDocument(
        tracker=tracker,
        original_name=checked.name,
        kind=kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
    )
    # The field names the file with evidence_path: evidence/<random hex>.
    document.file.save(checked.name, checked.content, save=False)
    stored.append(document.file.name)
    document._history_user = uploaded_by
    document.full_clean()
    document.save()
    return document

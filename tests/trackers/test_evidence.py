import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import MINIMAL_PDF, TrackerFactory, UserFactory
from tests.trackers import hostile_files
from trackers.evidence import (
    MAX_FILES,
    MAX_SIZE,
    EvidenceFilesField,
    check_upload,
    files_removed_on_failure,
    store_document,
)
from trackers.models import EvidenceDocument

# Stored files go to a temporary folder, never into the project.
pytestmark = pytest.mark.usefixtures("media_root")


def stored_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def image_bytes(image_format: str, size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


def pdf_with(extra: bytes) -> bytes:
    """MINIMAL_PDF with extra bytes just after its header line."""
    header, rest = MINIMAL_PDF.split(b"\n", 1)
    return header + b"\n" + extra + b"\n" + rest


JPEG_BYTES = image_bytes("JPEG")
PNG_BYTES = image_bytes("PNG")
LONG_NAME = "a" * 296 + ".pdf"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("payslip.pdf", MINIMAL_PDF, "application/pdf"),
        ("PAYSLIP.PDF", MINIMAL_PDF, "application/pdf"),
        ("contract – signed.pdf", MINIMAL_PDF + b"\r\n", "application/pdf"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
    ],
)
def test_check_upload_accepts_pdf_jpeg_and_png(name, data, content_type):
    file = upload(name, data)

    result = check_upload(file)

    assert (result.name, result.content_type) == (name, content_type)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "installer.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode.",
            "installer.pdf is not a PDF, JPEG or PNG file.",
        ),
        (
            "payslip.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "payslip.pdf is not a PDF, JPEG or PNG file.",
        ),
        (
            "payslip.pdf",
            pdf_with(b"<script>fetch('/participants/')</script>"),
            "payslip.pdf contains web page code (HTML or script), which a PDF should not. "
            "Save it as a PDF again, for example with Print → Save as PDF, and upload the "
            "new copy.",
        ),
        (
            "payslip.pdf",
            pdf_with(b"<HTML><BODY>Payslip</BODY></HTML>"),
            "payslip.pdf contains web page code (HTML or script), which a PDF should not. "
            "Save it as a PDF again, for example with Print → Save as PDF, and upload the "
            "new copy.",
        ),
        (
            "a.php%00.pdf",
            b"<?php system($_GET['c']); ?>",
            "a.php%00.pdf is not a PDF, JPEG or PNG file.",
        ),
        (
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.png is not a PDF, JPEG or PNG file.",
        ),
        ("payslip.pdf", b"", "payslip.pdf is empty."),
        (
            "payslip.pdf",
            MINIMAL_PDF + b" " * (MAX_SIZE + 1 - len(MINIMAL_PDF)),
            "payslip.pdf is larger than 10 MB.",
        ),
        (
            "photo.png",
            JPEG_BYTES,
            "photo.png is a JPEG file, but its name does not end .jpg or .jpeg. "
            "Rename it to end .jpg or .jpeg and upload it again.",
        ),
        (
            "payslip.pdf.exe",
            MINIMAL_PDF,
            "payslip.pdf.exe is a PDF file, but its name does not end .pdf. "
            "Rename it to end .pdf and upload it again.",
        ),
        (
            "payslip",
            MINIMAL_PDF,
            "payslip is a PDF file, but its name does not end .pdf. "
            "Rename it to end .pdf and upload it again.",
        ),
        (
            "payslip\u202efdp.exe",
            MINIMAL_PDF,
            "The name of payslipfdp.exe contains a character that cannot be used in a file "
            "name (a slash, a control character or a text-direction mark). Rename the file "
            "and upload it again.",
        ),
        (
            "C:\\Users\\alex\\payslip.pdf",
            MINIMAL_PDF,
            "The name of C:\\Users\\alex\\payslip.pdf contains a character that cannot be "
            "used in a file name (a slash, a control character or a text-direction mark). "
            "Rename the file and upload it again.",
        ),
        (
            "pay\r\nslip.pdf",
            MINIMAL_PDF,
            "The name of payslip.pdf contains a character that cannot be used in a file "
            "name (a slash, a control character or a text-direction mark). Rename the file "
            "and upload it again.",
        ),
        (
            LONG_NAME,
            MINIMAL_PDF,
            f"The name of {'a' * 40}…{'a' * 11}.pdf is longer than 254 characters. "
            "Give the file a shorter name and upload it again.",
        ),
        (
            "payslip.pdf",
            hostile_files.pdf_with_a_password(),
            "payslip.pdf is protected by a password or encrypted. "
            "Upload a copy without a password.",
        ),
        (
            "payslip.pdf",
            MINIMAL_PDF[: -len(b"%%EOF\n")],
            "payslip.pdf is not a complete PDF file (it may have been cut short). "
            "Save it again and upload the new copy.",
        ),
        (
            "scan.png",
            PNG_BYTES[:40],
            "scan.png is not a readable PNG image. Save it again and upload the new copy.",
        ),
        (
            "photo.jpg",
            JPEG_BYTES[: len(JPEG_BYTES) // 2],
            "photo.jpg is not a readable JPEG image. Save it again and upload the new copy.",
        ),
    ],
)
def test_check_upload_refuses_bad_files_naming_them(name, data, message):
    file = upload(name, data)

    with pytest.raises(ValidationError) as refusal:
        check_upload(file)

    assert refusal.value.messages == [message]


@pytest.mark.parametrize("size", [(12, 12), (20, 20)])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_check_upload_refuses_images_with_too_many_pixels(monkeypatch, size):
    # 144 pixels is over the limit, where Pillow only warns; 400 is over twice it.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    file = upload("scan.png", image_bytes("PNG", size))

    with pytest.raises(ValidationError) as refusal:
        check_upload(file)

    assert refusal.value.messages == [
        "scan.png has too many pixels to be checked safely. Upload a smaller picture, or a PDF."
    ]


def test_evidence_files_field_reports_every_bad_file():
    field = EvidenceFilesField()
    files = [
        upload("payslip.pdf", MINIMAL_PDF),
        upload("virus.pdf", b"MZ\x90\x00"),
        upload("blank.png", b""),
    ]

    with pytest.raises(ValidationError) as refusal:
        field.clean(files)

    assert refusal.value.messages == [
        "virus.pdf is not a PDF, JPEG or PNG file. blank.png is empty."
    ]


def test_evidence_files_field_returns_the_checked_files():
    field = EvidenceFilesField()
    files = [upload("payslip.pdf", MINIMAL_PDF), upload("scan.png", PNG_BYTES)]

    cleaned = field.clean(files)

    assert [(checked.name, checked.content_type) for checked in cleaned] == [
        ("payslip.pdf", "application/pdf"),
        ("scan.png", "image/png"),
    ]


def test_evidence_files_field_optional_with_no_files_is_an_empty_list():
    field = EvidenceFilesField()

    cleaned = field.clean([])

    assert cleaned == []


def test_evidence_files_field_required_with_no_files_says_so():
    field = EvidenceFilesField(required=True)

    with pytest.raises(ValidationError) as refusal:
        field.clean([])

    assert refusal.value.messages == ["Choose a file to upload."]


def test_evidence_files_field_refuses_more_than_ten_files():
    field = EvidenceFilesField()
    files = [upload(f"payslip-{n}.pdf", MINIMAL_PDF) for n in range(MAX_FILES + 1)]

    with pytest.raises(ValidationError) as refusal:
        field.clean(files)

    assert refusal.value.messages == ["Choose at most 10 files at a time (you chose 11)."]


@pytest.mark.django_db
def test_store_document_records_hash_size_type_and_uploader_under_a_random_name(media_root):
    tracker = TrackerFactory()
    uploader = UserFactory()

    with files_removed_on_failure():
        document = store_document(
            check_upload(upload("../../Alex Smith payslip.pdf", MINIMAL_PDF)),
            tracker=tracker,
            kind=EvidenceDocument.Kind.PAYSLIP,
            uploaded_by=uploader,
        )

    row = EvidenceDocument.objects.get()
    assert row == document
    assert (row.tracker, row.original_name, row.kind, row.content_type, row.size, row.sha256,
            row.uploaded_by) == (
        tracker, "Alex Smith payslip.pdf", "payslip", "application/pdf", len(MINIMAL_PDF),
        hashlib.sha256(MINIMAL_PDF).hexdigest(), uploader,
    )  # fmt: skip
    assert re.fullmatch(r"evidence/[0-9a-f]{32}", row.file.name)
    assert stored_files(media_root) == [row.file.name]
    assert (media_root / row.file.name).read_bytes() == MINIMAL_PDF
    assert EvidenceDocument.history.count() == 1


@pytest.mark.django_db
def test_store_document_outside_files_removed_on_failure_is_refused(media_root):
    tracker = TrackerFactory()

    with pytest.raises(RuntimeError, match="inside files_removed_on_failure"):
        store_document(
            check_upload(upload("payslip.pdf", MINIMAL_PDF)),
            tracker=tracker,
            kind=EvidenceDocument.Kind.PAYSLIP,
            uploaded_by=tracker.created_by,
        )

    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_files_removed_on_failure_leaves_no_file_and_no_row_when_a_later_step_fails(
    media_root,
):
    tracker = TrackerFactory()

    with (
        pytest.raises(RuntimeError, match="claim could not be recorded"),
        files_removed_on_failure(),
    ):
        document = store_document(
            check_upload(upload("payslip.pdf", MINIMAL_PDF)),
            tracker=tracker,
            kind=EvidenceDocument.Kind.PAYSLIP,
            uploaded_by=tracker.created_by,
        )
        assert stored_files(media_root) == [document.file.name]
        raise RuntimeError("claim could not be recorded")

    assert EvidenceDocument.objects.count() == 0
    assert EvidenceDocument.history.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_files_removed_on_failure_nested_takes_back_an_inner_blocks_files_when_the_outer_fails(
    media_root,
):
    """An inner block that finished is still undone, files and all, by its outer block."""
    tracker = TrackerFactory()

    with pytest.raises(RuntimeError), files_removed_on_failure():
        with files_removed_on_failure():
            store_document(
                check_upload(upload("payslip.pdf", MINIMAL_PDF)),
                tracker=tracker,
                kind=EvidenceDocument.Kind.PAYSLIP,
                uploaded_by=tracker.created_by,
            )
        raise RuntimeError("recalculation failed")

    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_files_removed_on_failure_nested_failure_inside_keeps_the_outer_blocks_files(
    media_root,
):
    tracker = TrackerFactory()

    with files_removed_on_failure():
        kept = store_document(
            check_upload(upload("contract.pdf", MINIMAL_PDF)),
            tracker=tracker,
            kind=EvidenceDocument.Kind.CONTRACT,
            uploaded_by=tracker.created_by,
        )
        with pytest.raises(ValidationError), files_removed_on_failure():
            store_document(
                check_upload(upload("payslip.pdf", MINIMAL_PDF)),
                tracker=tracker,
                kind=EvidenceDocument.Kind.PAYSLIP,
                uploaded_by=tracker.created_by,
            )
            store_document(
                check_upload(upload("virus.pdf", b"MZ\x90\x00")),
                tracker=tracker,
                kind=EvidenceDocument.Kind.PAYSLIP,
                uploaded_by=tracker.created_by,
            )

    assert list(EvidenceDocument.objects.values_list("original_name", flat=True)) == [
        "contract.pdf"
    ]
    assert stored_files(media_root) == [kept.file.name]

"""Hostile evidence files, posted as an attacker would send them (the multipart body
written out, so names reach Django exactly as given) to both pages that take evidence:
the upload page and Create Tracker. Each is refused with its own message, and leaves
no document row and no stored file. Honest files are stored as checked: PDFs as they
came, images encoded again with only their pixels."""

import dataclasses
import hashlib
import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from PIL import Image, PngImagePlugin

from tests.factories import OrganisationFactory, ParticipantFactory, TrackerFactory
from tests.trackers import hostile_files as files
from trackers.evidence import MAX_SIZE
from trackers.models import EvidenceDocument, Tracker

# Stored files go to a temporary folder, never into the project.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BOUNDARY = "----hostile-upload-boundary"
RESAVE = "Save it again with Print → Save as PDF and upload the new copy."


def active(name: str, what: str) -> str:
    return f"{name} contains active content ({what}), which evidence files must not. {RESAVE}"


def after_the_picture(name: str) -> str:
    return (
        f"{name} has other data after the end of the picture, which may hide another file. "
        "Save the picture again, or take a screenshot of it, and upload the new copy."
    )


def not_allowed(name: str) -> str:
    return f"{name} is not a PDF, JPEG or PNG file."


@dataclasses.dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[], bytes]
    message: str
    needs_clamd: bool = False


VIRUS = "contains a virus or malware (Eicar-Test-Signature-Body.UNOFFICIAL). It has not been saved."
HOSTILE = {
    # What the probe of issue 11 found accepted.
    "jpeg-then-zip": Hostile(
        "photo.jpg", lambda: files.jpeg() + files.zip_archive(), after_the_picture("photo.jpg")
    ),
    "pdf-javascript-names-tree": Hostile(
        "payslip.pdf",
        files.pdf_with_javascript_in_the_names_tree,
        active("payslip.pdf", "JavaScript"),
    ),
    "pdf-javascript-on-open": Hostile(
        "payslip.pdf", files.pdf_with_javascript_on_open, active("payslip.pdf", "JavaScript")
    ),
    "pdf-launch": Hostile(
        "payslip.pdf",
        files.pdf_that_launches_a_program,
        active("payslip.pdf", "a command that starts a program"),
    ),
    "pdf-attached-executable": Hostile(
        "payslip.pdf",
        files.pdf_with_an_attached_executable,
        active("payslip.pdf", "an attached file"),
    ),
    "pdf-hex-escaped-js": Hostile(
        "payslip.pdf", files.pdf_with_hex_escaped_javascript, active("payslip.pdf", "JavaScript")
    ),
    "jpeg-then-html": Hostile(
        "photo.jpg", lambda: files.jpeg() + files.HTML, after_the_picture("photo.jpg")
    ),
    "png-then-zip": Hostile(
        "scan.png", lambda: files.png() + files.zip_archive(), after_the_picture("scan.png")
    ),
    "eicar-inside-a-valid-pdf": Hostile(
        "payslip.pdf", files.pdf_with_eicar_inside, f"payslip.pdf {VIRUS}", needs_clamd=True
    ),
    # More of the same kinds.
    # Not a PDF, so refused before the virus scan (common/test_virus_scan.py has clamd
    # find it).
    "eicar-whole-file": Hostile("payslip.pdf", lambda: files.EICAR, not_allowed("payslip.pdf")),
    "pdf-javascript-in-an-annotation": Hostile(
        "payslip.pdf",
        files.pdf_with_javascript_in_an_annotation,
        active("payslip.pdf", "JavaScript"),
    ),
    "pdf-javascript-on-page-open": Hostile(
        "payslip.pdf", files.pdf_with_javascript_on_page_open, active("payslip.pdf", "JavaScript")
    ),
    "pdf-submit-form": Hostile(
        "payslip.pdf",
        files.pdf_that_submits_a_form,
        active("payslip.pdf", "an action that opens another file or sends data"),
    ),
    "pdf-rich-media": Hostile(
        "payslip.pdf", files.pdf_with_rich_media, active("payslip.pdf", "embedded media")
    ),
    "pdf-xfa-form": Hostile(
        "form.pdf",
        files.pdf_with_an_xfa_form,
        active("form.pdf", "an XFA form, which can run scripts"),
    ),
    "pdf-with-a-password": Hostile(
        "payslip.pdf",
        files.pdf_with_a_password,
        "payslip.pdf is protected by a password or encrypted. Upload a copy without a password.",
    ),
    "pdf-encrypted-without-a-password": Hostile(
        "payslip.pdf",
        files.pdf_encrypted_without_a_password,
        "payslip.pdf is protected by a password or encrypted. Upload a copy without a password.",
    ),
    "pdf-truncated": Hostile(
        "payslip.pdf",
        files.truncated_pdf,
        "payslip.pdf is not a complete PDF file (it may have been cut short). "
        "Save it again and upload the new copy.",
    ),
    "pdf-damaged": Hostile(
        "payslip.pdf",
        files.broken_pdf,
        "payslip.pdf is not a readable PDF file (it may be damaged). "
        "Save it again and upload the new copy.",
    ),
    "pdf-then-zip": Hostile(
        "payslip.pdf",
        lambda: files.payslip_pdf() + files.zip_archive(),
        "payslip.pdf has other data after the end of the PDF, which may hide another file. "
        + RESAVE,
    ),
    "html-pdf-polyglot": Hostile(
        "payslip.pdf",
        files.pdf_with_html_inside,
        "payslip.pdf contains web page code (HTML or script), which a PDF should not. Save it "
        "as a PDF again, for example with Print → Save as PDF, and upload the new copy.",
    ),
    "oversized": Hostile(
        "payslip.pdf",
        lambda: files.payslip_pdf() + b"\n" * MAX_SIZE,
        "payslip.pdf is larger than 10 MB.",
    ),
    "zero-bytes": Hostile("payslip.pdf", lambda: b"", "payslip.pdf is empty."),
    "windows-executable-named-pdf": Hostile(
        "payslip.pdf", lambda: files.WINDOWS_EXECUTABLE, not_allowed("payslip.pdf")
    ),
    "linux-executable-named-jpg": Hostile(
        "photo.jpg", lambda: files.ELF_EXECUTABLE, not_allowed("photo.jpg")
    ),
    "svg-with-script-named-png": Hostile(
        "logo.png", lambda: files.SVG_WITH_SCRIPT, not_allowed("logo.png")
    ),
    "zip-named-pdf": Hostile("payslip.pdf", files.zip_archive, not_allowed("payslip.pdf")),
    "decompression-bomb": Hostile(
        "scan.png",
        files.png_bomb,
        "scan.png has too many pixels to be checked safely. Upload a smaller picture, or a PDF.",
    ),
    "png-damaged": Hostile(
        "scan.png",
        lambda: files.png()[:-20] + b"\x00" * 8 + files.png()[-12:],
        "scan.png is not a readable PNG image. Save it again and upload the new copy.",
    ),
    # Django drops the U+202E from the name; what is left does not end .pdf.
    "right-to-left-override-in-the-name": Hostile(
        "payslip\u202efdp.exe",
        files.payslip_pdf,
        "payslipfdp.exe is a PDF file, but its name does not end .pdf. "
        "Rename it to end .pdf and upload it again.",
    ),
}


def multipart(fields: dict[str, str], field: str, name: str, data: bytes) -> bytes:
    """A multipart/form-data body as a browser (or an attacker) would send it."""
    body = b""
    for key, value in fields.items():
        body += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    body += (
        (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{field}"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    return body + f"--{BOUNDARY}--\r\n".encode()


def stored_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


@pytest.fixture
def tracker(north):
    return TrackerFactory(participant=ParticipantFactory(team=north))


def post_to_upload_page(client, tracker, name: str, data: bytes):
    return client.post(
        reverse(
            "trackers:document_upload",
            kwargs={"participant_pk": tracker.participant_id, "pk": tracker.pk},
        ),
        multipart({"kind": "payslip"}, "files", name, data),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def post_to_create_tracker(client, participant, name: str, data: bytes):
    url = reverse("milestones:tracker_create", args=[participant.pk])
    token = client.get(url).context["form"]["submission_token"].value()
    fields = {
        "type": "job",
        "status": "new",
        "assignee": "",
        "description": "Warehouse operative",
        "organisation": str(OrganisationFactory(status="confirmed").pk),
        "start_date": "2025-06-02",
        "end_date": "",
        "weekly_hours": "37.5",
        "hourly_rate": "12.21",
        "document_kind": "payslip",
        "submission_token": str(token),
    }
    return client.post(
        url,
        multipart(fields, "documents", name, data),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_document_upload_refuses_hostile_file_and_stores_nothing(
    request, administrator_client, tracker, media_root, case
):
    if case.needs_clamd:
        request.getfixturevalue("clamd")

    response = post_to_upload_page(administrator_client, tracker, case.name, case.build())

    assert response.context["form"].errors == {"files": [case.message]}
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_tracker_create_refuses_hostile_file_and_saves_nothing(
    request, administrator_client, north, media_root, case
):
    if case.needs_clamd:
        request.getfixturevalue("clamd")
    participant = ParticipantFactory(team=north)

    response = post_to_create_tracker(administrator_client, participant, case.name, case.build())

    assert response.context["form"].errors == {"documents": [case.message]}
    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert stored_files(media_root) == []


def test_document_upload_refuses_every_file_when_clamd_cannot_be_reached(
    administrator_client, tracker, media_root, settings, tmp_path, caplog
):
    settings.CLAMAV = settings.CLAMAV | {"SOCKET": str(tmp_path / "clamd.sock"), "HOST": ""}

    response = post_to_upload_page(
        administrator_client, tracker, "payslip.pdf", files.payslip_pdf()
    )

    assert response.context["form"].errors == {
        "files": [
            "payslip.pdf could not be checked for viruses, so it has not been saved. Try again "
            "in a few minutes, and tell your administrator if it keeps happening."
        ]
    }
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []
    assert [(r.levelname, r.getMessage()[:46]) for r in caplog.records] == [
        ("ERROR", "Could not scan an evidence upload for viruses:")
    ]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\System32\\payslip.pdf", "payslip.pdf"),
        ("pay\x07slip\x1b[2J.pdf", "payslip[2J.pdf"),
    ],
)
def test_document_upload_keeps_only_the_printable_last_part_of_a_sent_name(
    administrator_client, tracker, media_root, sent, kept
):
    post_to_upload_page(administrator_client, tracker, sent, files.payslip_pdf())

    document = EvidenceDocument.objects.get()
    assert document.original_name == kept
    assert stored_files(media_root) == [document.file.name]
    assert document.file.name.startswith("evidence/")


@pytest.mark.parametrize(
    "build",
    [files.payslip_pdf, files.payslip_pdf_with_object_streams, files.payslip_pdf_with_a_web_link],
)
def test_document_upload_stores_an_honest_pdf_as_it_came(
    administrator_client, tracker, media_root, build
):
    data = build()

    post_to_upload_page(administrator_client, tracker, "payslip.pdf", data)

    document = EvidenceDocument.objects.get()
    assert (document.content_type, document.size, document.sha256) == (
        "application/pdf",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert (media_root / document.file.name).read_bytes() == data


def test_document_upload_stores_a_photo_upright_and_without_its_exif(
    administrator_client, tracker, media_root
):
    data = files.photo_on_its_side()

    post_to_upload_page(administrator_client, tracker, "photo.jpg", data)

    document = EvidenceDocument.objects.get()
    stored = (media_root / document.file.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    red, _, blue = image.getpixel((20, 10))
    assert (image.format, image.size, red > 200, blue < 60) == ("JPEG", (40, 80), True, True)
    assert (dict(image.getexif()), image.info.get("comment")) == ({}, None)
    assert b"PhoneMaker" not in stored
    assert (document.size, document.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    assert stored != data


def test_document_upload_stores_a_png_without_its_text_chunks(
    administrator_client, tracker, media_root
):
    buffer = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Alex Smith, 12 Harbour Street")
    Image.new("RGBA", (30, 20), (0, 128, 0, 128)).save(buffer, "PNG", pnginfo=text)
    data = buffer.getvalue()

    post_to_upload_page(administrator_client, tracker, "scan.png", data)

    document = EvidenceDocument.objects.get()
    stored = (media_root / document.file.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.mode, image.size, image.getpixel((0, 0))) == (
        "PNG",
        "RGBA",
        (30, 20),
        (0, 128, 0, 128),
    )
    assert b"Harbour Street" not in stored
    assert (document.size, document.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())

import hashlib
import io
import json
import logging

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import (
    MINIMAL_PDF,
    EvidenceDocumentFactory,
    ParticipantFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.models import EvidenceDocument

# Stored files go to a temporary folder, never into the project.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def stored_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload_url(tracker) -> str:
    return reverse(
        "trackers:document_upload",
        kwargs={"participant_pk": tracker.participant_id, "pk": tracker.pk},
    )


def detail_url(tracker) -> str:
    return reverse(
        "trackers:detail", kwargs={"participant_pk": tracker.participant_id, "pk": tracker.pk}
    )


def document_url(document, name: str = "document_download") -> str:
    return reverse(
        f"trackers:{name}",
        kwargs={
            "participant_pk": document.tracker.participant_id,
            "pk": document.tracker_id,
            "document_pk": document.pk,
        },
    )


@pytest.fixture
def tracker(north):
    return TrackerFactory(participant=ParticipantFactory(team=north))


@pytest.fixture
def document(tracker):
    return EvidenceDocumentFactory(tracker=tracker)


@pytest.fixture
def compliance_client(client, compliance):
    client.force_login(compliance)
    return client


@pytest.fixture
def outsider_client(client, south):
    """Staff of the South team with every evidence permission, deleting included."""
    outsider = UserFactory(role="Administrator", teams=[south])
    outsider.user_permissions.add(Permission.objects.get(codename="delete_evidence"))
    client.force_login(outsider)
    return client


def test_document_upload_stores_the_files_and_records_them(
    administrator_client, administrator, tracker, media_root
):
    png = png_bytes()
    files = [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF), SimpleUploadedFile("scan.png", png)]

    response = administrator_client.post(upload_url(tracker), {"kind": "payslip", "files": files})

    documents = EvidenceDocument.objects.order_by("id")
    assert response["Location"] == detail_url(tracker)
    assert [
        (d.tracker, d.original_name, d.kind, d.content_type, d.size, d.sha256, d.uploaded_by)
        for d in documents
    ] == [
        (
            tracker,
            "payslip.pdf",
            "payslip",
            "application/pdf",
            len(MINIMAL_PDF),
            hashlib.sha256(MINIMAL_PDF).hexdigest(),
            administrator,
        ),
        (
            tracker,
            "scan.png",
            "payslip",
            "image/png",
            len(png),
            hashlib.sha256(png).hexdigest(),
            administrator,
        ),
    ]
    assert stored_files(media_root) == sorted(d.file.name for d in documents)
    assert [(media_root / d.file.name).read_bytes() for d in documents] == [MINIMAL_PDF, png]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Uploaded payslip.pdf, scan.png."
    ]


def test_document_upload_stores_a_file_too_big_to_keep_in_memory(
    administrator_client, tracker, media_root, settings
):
    # Django spools uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file.
    padding = b"%" + b"x" * settings.FILE_UPLOAD_MAX_MEMORY_SIZE + b"\n"
    data = MINIMAL_PDF.replace(b"\n", b"\n" + padding, 1)

    response = administrator_client.post(
        upload_url(tracker),
        {"kind": "contract", "files": [SimpleUploadedFile("contract.pdf", data)]},
    )

    document = EvidenceDocument.objects.get()
    assert response["Location"] == detail_url(tracker)
    assert (document.size, document.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert stored_files(media_root) == [document.file.name]
    assert (media_root / document.file.name).read_bytes() == data


def test_document_upload_get_shows_the_form(administrator_client, tracker):
    response = administrator_client.get(upload_url(tracker))

    body = response.content.decode()
    assert response.templates[0].name == "trackers/document_upload.html"
    assert 'enctype="multipart/form-data"' in body
    assert '<label for="id_kind" class="field__label">Document type</label>' in body
    assert '<label for="id_files" class="field__label">Files</label>' in body
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in body
    assert " multiple" in body
    assert f'href="{detail_url(tracker)}"' in body


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "payslip"}, {"files": ["Choose a file to upload."]}),
        (
            {"kind": "", "files": [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]},
            {"kind": ["Choose the type of document."]},
        ),
        (
            {"kind": "bank statement", "files": [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]},
            {"kind": ["Choose a document type from the list."]},
        ),
        (
            {
                "kind": "payslip",
                "files": [
                    SimpleUploadedFile("payslip.pdf", MINIMAL_PDF),
                    SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60),
                    SimpleUploadedFile("blank.pdf", b""),
                    SimpleUploadedFile(
                        "big.pdf", MINIMAL_PDF + b" " * (10 * 1024 * 1024 + 1 - len(MINIMAL_PDF))
                    ),
                ],
            },
            {
                "files": [
                    "setup.pdf is not a PDF, JPEG or PNG file. blank.pdf is empty. "
                    "big.pdf is larger than 10 MB."
                ]
            },
        ),
    ],
)
def test_document_upload_invalid_shows_errors_and_stores_nothing(
    administrator_client, tracker, media_root, data, errors
):
    response = administrator_client.post(upload_url(tracker), data)

    assert response.context["form"].errors == errors
    assert "There is a problem" in response.content.decode()
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


def test_document_upload_storage_failure_after_a_file_is_stored_leaves_nothing(
    administrator_client, tracker, media_root, monkeypatch
):
    real_save = FileSystemStorage._save
    saves = []

    def save_then_fail(storage, name, content):
        saves.append(name)
        if len(saves) == 2:
            raise OSError(28, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fail)
    files = [SimpleUploadedFile("one.pdf", MINIMAL_PDF), SimpleUploadedFile("two.pdf", MINIMAL_PDF)]

    response = administrator_client.post(upload_url(tracker), {"kind": "payslip", "files": files})

    assert len(saves) == 2
    assert response.context["form"].non_field_errors() == [
        "The files could not be saved, so nothing was uploaded. Try again in a few minutes, "
        "and tell your administrator if it keeps happening."
    ]
    assert EvidenceDocument.objects.count() == 0
    assert EvidenceDocument.history.count() == 0
    assert stored_files(media_root) == []


def test_document_upload_in_a_dialog_returns_only_the_form(administrator_client, tracker):
    response = administrator_client.get(upload_url(tracker), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div class="dialog__header">')
    assert f'hx-post="{upload_url(tracker)}"' in body


def test_document_upload_in_a_dialog_closes_it_and_tells_the_page(administrator_client, tracker):
    files = [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]

    response = administrator_client.post(
        upload_url(tracker), {"kind": "contract", "files": files}, headers={"HX-Request": "true"}
    )

    assert response.content == b""
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": "Uploaded payslip.pdf.", "level": "success"}]},
        "documentsChanged": {},
    }
    assert list(EvidenceDocument.objects.values_list("original_name", "kind")) == [
        ("payslip.pdf", "contract")
    ]


def test_document_download_sends_the_file_as_an_attachment_with_safe_headers(
    administrator_client, document
):
    response = administrator_client.get(document_url(document))

    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(MINIMAL_PDF))
    assert response["Content-Disposition"] == 'attachment; filename="payslip.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in [part.strip() for part in response["Cache-Control"].split(",")]


def test_document_download_inline_shows_it_in_a_frame_of_this_site_only(
    administrator_client, document
):
    response = administrator_client.get(document_url(document), {"inline": "1"})

    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"] == 'inline; filename="payslip.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("original_name", "disposition"),
    [
        ('pay "slip".pdf', 'attachment; filename="pay \\"slip\\".pdf"'),
        (
            "payslip.pdf\r\nSet-Cookie: sessionid=x",
            "attachment; filename*=utf-8''payslip.pdf%0D%0ASet-Cookie%3A%20sessionid%3Dx",
        ),
        ("Zoë’s payslip.pdf", "attachment; filename*=utf-8''Zo%C3%AB%E2%80%99s%20payslip.pdf"),
    ],
)
def test_document_download_encodes_awkward_file_names(
    administrator_client, tracker, original_name, disposition
):
    document = EvidenceDocumentFactory(tracker=tracker, original_name=original_name)

    response = administrator_client.get(document_url(document))

    assert response["Content-Disposition"] == disposition
    assert "Set-Cookie" not in response.headers


def test_document_download_with_the_file_missing_is_not_found_and_logged(
    administrator_client, document, media_root, caplog
):
    (media_root / document.file.name).unlink()

    with caplog.at_level(logging.ERROR, logger="trackers.views.documents"):
        response = administrator_client.get(document_url(document))

    assert response.status_code == 404
    assert [r.getMessage() for r in caplog.records if r.name == "trackers.views.documents"] == [
        f"Evidence document {document.pk} is missing its stored file {document.file.name}"
    ]


def test_compliance_can_download_but_not_upload_or_delete(compliance_client, document):
    download = compliance_client.get(document_url(document))
    upload_page = compliance_client.get(upload_url(document.tracker))
    upload = compliance_client.post(
        upload_url(document.tracker),
        {"kind": "payslip", "files": [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]},
    )
    delete_page = compliance_client.get(document_url(document, "document_delete"))
    delete = compliance_client.post(document_url(document, "document_delete"))

    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert [upload_page.status_code, upload.status_code] == [403, 403]
    assert [delete_page.status_code, delete.status_code] == [403, 403]
    assert list(EvidenceDocument.objects.values_list("pk", "deleted_at")) == [(document.pk, None)]


@pytest.mark.parametrize(
    ("method", "url_of"),
    [
        ("get", lambda d: upload_url(d.tracker)),
        ("post", lambda d: upload_url(d.tracker)),
        ("get", document_url),
        ("get", lambda d: document_url(d, "document_delete")),
        ("post", lambda d: document_url(d, "document_delete")),
    ],
)
def test_document_pages_outside_the_users_teams_are_not_found(
    outsider_client, document, media_root, method, url_of
):
    files = {"kind": "payslip", "files": [SimpleUploadedFile("x.pdf", MINIMAL_PDF)]}

    response = getattr(outsider_client, method)(url_of(document), files if method == "post" else {})

    body = response.content.decode()
    assert response.status_code == 404
    assert document.tracker.participant.last_name not in body
    assert "payslip.pdf" not in body
    assert list(EvidenceDocument.objects.values_list("pk", "deleted_at")) == [(document.pk, None)]
    assert stored_files(media_root) == [document.file.name]


def test_document_delete_get_asks_for_confirmation(supervisor_client, document):
    response = supervisor_client.get(document_url(document, "document_delete"))

    body = response.content.decode()
    assert "<h1>Delete payslip.pdf?</h1>" in body
    assert f'action="{document_url(document, "document_delete")}"' in body
    assert EvidenceDocument.objects.current().count() == 1


def test_document_delete_by_a_supervisor_records_it_and_stops_downloads(
    supervisor_client, supervisor, document, media_root
):
    response = supervisor_client.post(document_url(document, "document_delete"))

    document.refresh_from_db()
    assert response["Location"] == detail_url(document.tracker)
    assert document.deleted_by == supervisor
    assert document.deleted_at is not None
    assert document.history.first().history_user == supervisor
    assert stored_files(media_root) == [document.file.name]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Deleted payslip.pdf."]
    assert supervisor_client.get(document_url(document)).status_code == 404
    assert supervisor_client.post(document_url(document, "document_delete")).status_code == 404


def test_document_delete_in_a_dialog_closes_it_and_tells_the_page(supervisor_client, document):
    response = supervisor_client.post(
        document_url(document, "document_delete"), headers={"HX-Request": "true"}
    )

    assert response.content == b""
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": [{"text": "Deleted payslip.pdf.", "level": "success"}]},
        "documentsChanged": {},
    }
    assert EvidenceDocument.objects.current().count() == 0


@pytest.mark.parametrize(
    ("method", "url_of"),
    [
        ("put", lambda d: upload_url(d.tracker)),
        ("delete", lambda d: upload_url(d.tracker)),
        ("post", document_url),
        ("delete", document_url),
        ("put", lambda d: document_url(d, "document_delete")),
        ("delete", lambda d: document_url(d, "document_delete")),
    ],
)
def test_document_pages_refuse_other_methods(supervisor_client, document, method, url_of):
    response = getattr(supervisor_client, method)(url_of(document))

    assert response.status_code == 405
    assert EvidenceDocument.objects.current().count() == 1


@pytest.mark.parametrize(
    "url_of",
    [
        lambda d: upload_url(d.tracker),
        document_url,
        lambda d: document_url(d, "document_delete"),
    ],
)
def test_document_pages_send_anonymous_users_to_sign_in(client, document, url_of):
    url = url_of(document)

    response = client.get(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"

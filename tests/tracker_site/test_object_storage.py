"""Evidence in object storage: every page that stores, serves, exports or purges files,
run against a real S3-compatible server (moto's, started by the tests) with the default
storage swapped to a private bucket of it (the ``s3_bucket`` fixture)."""

import datetime
import io
import json
import socket
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from common.storage import PrivateS3Storage, StorageUnavailable
from participants.models import Participant
from tests.conftest import s3_storage_settings
from tests.factories import (
    MINIMAL_PDF,
    EvidenceDocumentFactory,
    OrganisationFactory,
    ParticipantFactory,
    TrackerFactory,
)
from tests.milestones.views.test_casework import PDF, create_url, form_data, pdf_upload
from tests.tracker_site.test_faults import ERROR_PAGE, failing_on
from tests.tracker_site.test_privacy import NOW, expire
from tests.trackers.views.test_documents import document_url, upload_url
from tests.trackers.views.test_hostile_uploads import (
    HOSTILE,
    post_to_create_tracker,
    post_to_upload_page,
)
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db

NOT_SAVED = (
    "The files could not be saved, so nothing was uploaded. Try again in a few minutes, "
    "and tell your administrator if it keeps happening."
)


@pytest.fixture
def tracker(north):
    return TrackerFactory(participant=ParticipantFactory(team=north))


def point_storage_at_nothing(settings) -> None:
    """The default storage pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.STORAGES = settings.STORAGES | {
        "default": s3_storage_settings(f"http://127.0.0.1:{port}", "gone", "x")
    }


@pytest.fixture
def unreachable_store(settings, quiet_s3_logs):
    point_storage_at_nothing(settings)


def test_default_storage_is_the_bucket(s3_bucket):
    assert isinstance(storages["default"], PrivateS3Storage)
    assert EvidenceDocument._meta.get_field("file").storage.bucket_name == s3_bucket.name


def test_create_tracker_stores_its_evidence_in_the_bucket(administrator_client, north, s3_bucket):
    participant = ParticipantFactory(team=north)
    employer = OrganisationFactory(status="confirmed")
    data = form_data(administrator_client, participant, organisation=employer.pk)

    administrator_client.post(create_url(participant), data | {"documents": [pdf_upload()]})

    document = EvidenceDocument.objects.get()
    assert document.tracker.participant == participant
    assert document.file.name.startswith("evidence/")
    assert s3_bucket.keys() == [s3_bucket.key_of(document.file.name)]
    assert s3_bucket.read(s3_bucket.key_of(document.file.name)) == PDF


def test_add_evidence_stores_in_the_bucket_and_download_gives_the_same_bytes(
    administrator_client, tracker, s3_bucket
):
    files = [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]
    administrator_client.post(upload_url(tracker), {"kind": "payslip", "files": files})
    document = EvidenceDocument.objects.get()

    response = administrator_client.get(document_url(document))

    assert s3_bucket.keys() == [s3_bucket.key_of(document.file.name)]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert (response["Content-Type"], response["Content-Length"]) == (
        "application/pdf",
        str(len(MINIMAL_PDF)),
    )
    assert response["Content-Disposition"] == 'attachment; filename="payslip.pdf"'


def test_stored_evidence_has_no_public_grant_and_no_url(administrator_client, tracker, s3_bucket):
    files = [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]
    administrator_client.post(upload_url(tracker), {"kind": "payslip", "files": files})
    document = EvidenceDocument.objects.get()

    acl = s3_bucket.client.get_object_acl(
        Bucket=s3_bucket.name, Key=s3_bucket.key_of(document.file.name)
    )

    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert [grant["Grantee"]["Type"] for grant in acl["Grants"]] == ["CanonicalUser"]
    assert acl["Grants"][0]["Grantee"]["ID"] == acl["Owner"]["ID"]
    with pytest.raises(NotImplementedError, match="Stored files have no URL"):
        document.file.url  # noqa: B018


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_document_upload_of_a_hostile_file_leaves_no_object(
    request, administrator_client, tracker, s3_bucket, case
):
    if case.needs_clamd:
        request.getfixturevalue("clamd")

    response = post_to_upload_page(administrator_client, tracker, case.name, case.build())

    assert response.context["form"].errors == {"files": [case.message]}
    assert EvidenceDocument.objects.count() == 0
    assert s3_bucket.keys() == []


@pytest.mark.parametrize("name", ["html-pdf-polyglot", "pdf-javascript-on-open", "jpeg-then-zip"])
def test_tracker_create_with_a_hostile_file_leaves_no_object(
    administrator_client, north, s3_bucket, name
):
    case = HOSTILE[name]

    response = post_to_create_tracker(
        administrator_client, ParticipantFactory(team=north), case.name, case.build()
    )

    assert response.context["form"].errors == {"documents": [case.message]}
    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert s3_bucket.keys() == []


@pytest.mark.django_db(transaction=True)
def test_a_database_error_after_the_object_is_stored_removes_it(administrator, north, s3_bucket):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    tracker = TrackerFactory(participant=ParticipantFactory(team=north))
    files = [SimpleUploadedFile(name, MINIMAL_PDF) for name in ("one.pdf", "two.pdf")]

    with failing_on("trackers_historicalevidencedocument"):
        response = client.post(upload_url(tracker), {"kind": "payslip", "files": files})

    assert response.status_code == 500
    assert ERROR_PAGE in response.content.decode()
    assert EvidenceDocument.objects.count() == 0
    assert s3_bucket.keys() == []


def test_an_unreachable_store_refuses_the_upload_with_a_message(
    administrator_client, tracker, unreachable_store, caplog
):
    files = [SimpleUploadedFile("payslip.pdf", MINIMAL_PDF)]

    response = administrator_client.post(upload_url(tracker), {"kind": "payslip", "files": files})

    assert response.context["form"].non_field_errors() == [NOT_SAVED]
    assert EvidenceDocument.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if r.name == "trackers.views.documents"] == [
        f"Could not store evidence files for tracker {tracker.pk}"
    ]


def test_an_unreachable_store_answers_a_download_with_a_message(
    administrator_client, tracker, s3_bucket, settings
):
    document = EvidenceDocumentFactory(tracker=tracker)
    point_storage_at_nothing(settings)

    response = administrator_client.get(document_url(document))

    assert response.status_code == 503
    assert response.content.decode() == (
        "The file could not be fetched just now. Try again in a few minutes, and tell your "
        "administrator if it keeps happening."
    )


def test_a_missing_object_is_a_404_not_an_error(administrator_client, tracker, s3_bucket):
    document = EvidenceDocumentFactory(tracker=tracker)
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key_of(document.file.name))

    response = administrator_client.get(document_url(document))

    assert response.status_code == 404
    assert EvidenceDocument.objects.filter(pk=document.pk).exists()


def test_subject_access_export_holds_the_evidence_from_the_bucket(
    supervisor_client, north, s3_bucket
):
    document = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    participant = document.tracker.participant

    response = supervisor_client.get(reverse("subject_access_export", args=[participant.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    held = json.loads(archive.read("record.json"))
    assert held["evidence_files"] == [f"evidence/{document.pk}-payslip.pdf"]
    assert held["missing_files"] == []
    assert archive.read(f"evidence/{document.pk}-payslip.pdf") == MINIMAL_PDF


def test_retention_purge_deletes_the_participants_objects_only(
    north, s3_bucket, django_capture_on_commit_callbacks
):
    old = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    Participant.objects.filter(pk=old.tracker.participant_id).update(
        programme_start_date=datetime.date(2025, 1, 1)
    )
    expire(old.tracker.participant, ended=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    kept = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    expire(kept.tracker.participant, ended=datetime.datetime(2029, 1, 1, tzinfo=datetime.UTC))
    assert len(s3_bucket.keys()) == 2

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("purge_expired_participants", stdout=io.StringIO())

    assert list(EvidenceDocument.objects.all()) == [kept]
    assert s3_bucket.keys() == [s3_bucket.key_of(kept.file.name)]


def test_retention_purge_with_the_store_down_logs_each_file_left(
    north, s3_bucket, settings, django_capture_on_commit_callbacks, caplog
):
    old = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    Participant.objects.filter(pk=old.tracker.participant_id).update(
        programme_start_date=datetime.date(2025, 1, 1)
    )
    expire(old.tracker.participant, ended=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    point_storage_at_nothing(settings)

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("purge_expired_participants", stdout=io.StringIO())

    assert EvidenceDocument.objects.count() == 0
    assert [
        (r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("tracker_site")
    ] == [
        ("INFO", "Retention purge: 1 participants, 6 rows, 0 referral files deleted"),
        ("ERROR", f"Retention purge could not delete the stored file {old.file.name}"),
    ]


def test_load_demo_stores_its_evidence_in_the_bucket(s3_bucket):
    call_command("load_demo", stdout=io.StringIO())

    names = EvidenceDocument.objects.values_list("file", flat=True)
    assert len(names) > 0
    assert s3_bucket.keys() == sorted(s3_bucket.key_of(name) for name in names)


def test_subject_access_export_names_an_object_gone_from_the_bucket(
    supervisor_client, north, s3_bucket
):
    document = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key_of(document.file.name))

    response = supervisor_client.get(
        reverse("subject_access_export", args=[document.tracker.participant_id])
    )

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    held = json.loads(archive.read("record.json"))
    assert (held["evidence_files"], held["missing_files"]) == ([], [document.file.name])
    assert archive.namelist() == ["record.json"]


def test_subject_access_export_with_the_store_down_says_so_and_exports_nothing(
    supervisor_client, north, s3_bucket, settings
):
    document = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    point_storage_at_nothing(settings)

    response = supervisor_client.get(
        reverse("subject_access_export", args=[document.tracker.participant_id])
    )

    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(
        "The evidence files could not be fetched just now, so nothing was exported."
    )


def test_storage_never_overwrites_a_stored_object(s3_bucket):
    first = default_storage.save("evidence/same", ContentFile(b"first"))
    second = default_storage.save("evidence/same", ContentFile(b"second"))

    assert first == "evidence/same"
    assert second != first
    assert [s3_bucket.read(s3_bucket.key_of(n)) for n in (first, second)] == [b"first", b"second"]


@pytest.mark.parametrize(
    "options",
    [{"default_acl": "public-read"}, {"object_parameters": {"ACL": "public-read"}}],
    ids=["default_acl", "object_parameters"],
)
def test_storage_refuses_a_public_acl(options):
    with pytest.raises(ImproperlyConfigured, match="must stay private"):
        PrivateS3Storage(bucket_name="evidence", **options)


def test_storage_refuses_to_overwrite_files():
    with pytest.raises(ImproperlyConfigured, match="never be overwritten"):
        PrivateS3Storage(bucket_name="evidence", file_overwrite=True)


def test_storage_failures_are_os_errors(unreachable_store):
    with pytest.raises(StorageUnavailable) as raised:
        default_storage.save("evidence/x", ContentFile(b"x"))

    assert isinstance(raised.value, OSError)

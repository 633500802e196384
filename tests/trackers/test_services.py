import datetime
import hashlib
import threading
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from tests.factories import (
    MINIMAL_PDF,
    EvidenceDocumentFactory,
    OrganisationFactory,
    ParticipantFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.evidence import CheckedFile, check_upload
from trackers.models import EvidenceDocument, Tracker
from trackers.services import (
    TrackerChanged,
    add_evidence,
    create_tracker,
    delete_evidence,
    end_tracker,
    submit_for_review,
    update_tracker,
)

PDF = MINIMAL_PDF

# Stored files go to a temporary folder, never into the project.
pytestmark = pytest.mark.usefixtures("media_root")


def new_tracker(**fields) -> dict:
    """What create_tracker takes for a tracker: its participant and its own fields."""
    return {
        "participant": ParticipantFactory(),
        "type": Tracker.Type.JOB,
        "description": "Care assistant",
        "organisation": OrganisationFactory(status="confirmed"),
        "start_date": datetime.date(2025, 6, 2),
        "weekly_hours": Decimal("20"),
        "hourly_rate": Decimal("12.21"),
    } | fields


def pdf(name="payslip.pdf") -> CheckedFile:
    return check_upload(SimpleUploadedFile(name, PDF, content_type="application/pdf"))


def stored_files(settings) -> list[str]:
    return sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_create_tracker_saves_tracker_and_documents(settings):
    user = UserFactory()

    tracker, created = create_tracker(
        **new_tracker(), submission_token=uuid.uuid4(), documents=[pdf()], created_by=user
    )

    assert created is True
    assert Tracker.objects.get() == tracker
    document = EvidenceDocument.objects.get()
    assert (document.tracker, document.uploaded_by, document.size) == (tracker, user, len(PDF))
    assert stored_files(settings) == [document.file.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_create_tracker_with_a_used_token_returns_the_first_tracker():
    user, token = UserFactory(), uuid.uuid4()
    first, _ = create_tracker(**new_tracker(), submission_token=token, created_by=user)

    again, created = create_tracker(
        **new_tracker(), submission_token=token, documents=[pdf()], created_by=user
    )

    assert (again, created) == (first, False)
    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (1, 0)


@pytest.mark.django_db
def test_create_tracker_failure_after_the_file_is_stored_leaves_no_row_and_no_file(
    settings, monkeypatch
):
    def fails(self, *args, **kwargs):
        raise OSError("disk full")

    # full_clean runs once the file is in storage, just before the row is written.
    monkeypatch.setattr(EvidenceDocument, "full_clean", fails)

    with pytest.raises(OSError):
        create_tracker(
            **new_tracker(),
            submission_token=uuid.uuid4(),
            documents=[pdf()],
            created_by=UserFactory(),
        )

    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_create_tracker_invalid_tracker_stores_nothing(settings):
    with pytest.raises(ValidationError, match="end date"):
        create_tracker(
            **new_tracker(end_date=datetime.date(2025, 1, 1)),
            submission_token=uuid.uuid4(),
            documents=[pdf()],
            created_by=UserFactory(),
        )

    assert Tracker.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_create_tracker_two_simultaneous_submissions_make_one_tracker():
    user, token = UserFactory(), uuid.uuid4()
    trackers = [new_tracker(), new_tracker()]
    results, barrier = [], threading.Barrier(2)

    def submit(tracker):
        barrier.wait()
        try:
            results.append(create_tracker(**tracker, submission_token=token, created_by=user))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(t,)) for t in trackers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Tracker.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]


@pytest.mark.django_db
def test_update_tracker_refuses_a_stale_version():
    tracker = TrackerFactory()
    mine, theirs = Tracker.objects.get(pk=tracker.pk), Tracker.objects.get(pk=tracker.pk)
    update_tracker(
        tracker=theirs, loaded_version=1, changed_by=UserFactory(), weekly_hours=Decimal("30")
    )

    with pytest.raises(TrackerChanged):
        update_tracker(
            tracker=mine, loaded_version=1, changed_by=UserFactory(), weekly_hours=Decimal("10")
        )

    tracker.refresh_from_db()
    assert (tracker.weekly_hours, tracker.version) == (Decimal("30.00"), 2)


@pytest.mark.django_db
def test_end_tracker_records_who_and_leaves_the_review_status(administrator):
    tracker = TrackerFactory(start_date=datetime.date(2025, 6, 2), status=Tracker.Status.IN_REVIEW)

    end_tracker(
        tracker=tracker,
        end_date=datetime.date(2025, 8, 1),
        note="Moved away",
        loaded_version=1,
        ended_by=administrator,
    )

    tracker.refresh_from_db()
    assert (tracker.status, tracker.end_date, tracker.version, tracker.edited_by) == (
        "in_review",
        datetime.date(2025, 8, 1),
        2,
        administrator,
    )
    assert tracker.is_ended
    assert tracker.history.first().history_user == administrator


@pytest.mark.django_db
def test_create_tracker_can_confirm_the_employer_first(supervisor):
    employer = OrganisationFactory(status="unconfirmed")

    tracker, _ = create_tracker(
        **new_tracker(organisation=employer),
        submission_token=uuid.uuid4(),
        confirm_organisation=True,
        created_by=supervisor,
    )

    employer.refresh_from_db()
    assert (employer.status, employer.confirmed_by) == ("confirmed", supervisor)
    assert tracker.organisation == employer


@pytest.mark.django_db
def test_add_evidence_records_hash_size_type_and_uploader(media_root):
    tracker = TrackerFactory()
    uploader = UserFactory()

    documents = add_evidence(
        tracker=tracker,
        uploads=[pdf("../../Alex Smith payslip.pdf"), pdf("p60.pdf")],
        kind=EvidenceDocument.Kind.PAYSLIP,
        uploaded_by=uploader,
    )

    rows = list(EvidenceDocument.objects.order_by("id"))
    assert rows == documents
    assert [(d.original_name, d.kind, d.size, d.sha256, d.uploaded_by) for d in rows] == [
        ("Alex Smith payslip.pdf", "payslip", len(PDF), hashlib.sha256(PDF).hexdigest(), uploader),
        ("p60.pdf", "payslip", len(PDF), hashlib.sha256(PDF).hexdigest(), uploader),
    ]
    assert sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()) == sorted(d.file.name for d in rows)  # fmt: skip


@pytest.mark.django_db
def test_add_evidence_failing_to_store_one_file_keeps_none_of_them(media_root, monkeypatch):
    tracker = TrackerFactory()
    real_save = FileSystemStorage._save
    saves = []

    def save_then_fail(storage, name, content):
        saves.append(name)
        if len(saves) == 2:
            raise OSError(28, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fail)

    with pytest.raises(OSError, match="No space left"):
        add_evidence(
            tracker=tracker,
            uploads=[pdf("payslip.pdf"), pdf("p60.pdf")],
            kind=EvidenceDocument.Kind.PAYSLIP,
            uploaded_by=tracker.created_by,
        )

    assert len(saves) == 2
    assert EvidenceDocument.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_delete_evidence_records_who_and_when_and_keeps_the_file(media_root):
    document = EvidenceDocumentFactory()
    supervisor = UserFactory(role="Supervisor")
    before = timezone.now()

    delete_evidence(document=document, deleted_by=supervisor)

    document.refresh_from_db()
    assert document.deleted_by == supervisor
    assert before <= document.deleted_at <= timezone.now()
    assert list(EvidenceDocument.objects.current()) == []
    assert (media_root / document.file.name).is_file()
    assert [(h.history_type, h.deleted_by_id) for h in document.history.order_by("history_id")] == [
        ("+", None),
        ("~", supervisor.pk),
    ]


@pytest.mark.django_db
def test_delete_evidence_already_deleted_keeps_the_first_deletion():
    document = EvidenceDocumentFactory()
    first, second = UserFactory(role="Supervisor"), UserFactory(role="Supervisor")
    delete_evidence(document=document, deleted_by=first)

    delete_evidence(document=document, deleted_by=second)

    document.refresh_from_db()
    assert document.deleted_by == first
    assert document.history.count() == 2


@pytest.mark.django_db
def test_tracker_queryset_overlapping_finds_only_the_same_employer_in_overlapping_dates():
    participant = ParticipantFactory()
    employer = OrganisationFactory(status="confirmed")
    earlier = TrackerFactory(
        participant=participant,
        organisation=employer,
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 6, 30),
    )
    TrackerFactory(
        participant=participant,
        organisation=employer,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 6, 1),
    )
    TrackerFactory(participant=participant, start_date=datetime.date(2025, 6, 1))
    tracker = TrackerFactory(
        participant=participant, organisation=employer, start_date=datetime.date(2025, 6, 2)
    )

    assert list(Tracker.objects.overlapping(tracker)) == [earlier]


@pytest.mark.django_db
def test_create_tracker_without_evidence_is_new_and_with_evidence_in_review():
    user = UserFactory()

    bare, _ = create_tracker(**new_tracker(), submission_token=uuid.uuid4(), created_by=user)
    evidenced, _ = create_tracker(
        **new_tracker(), submission_token=uuid.uuid4(), documents=[pdf()], created_by=user
    )

    assert (bare.status, bare.submitted_at) == (Tracker.Status.NEW, None)
    assert evidenced.status == Tracker.Status.IN_REVIEW
    assert evidenced.submitted_at is not None
    assert (evidenced.created_by, evidenced.edited_by) == (user, user)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["status", "submitted_at"])
def test_tracker_writes_refuse_the_review_status(field):
    tracker = TrackerFactory(status=Tracker.Status.NEW)

    with pytest.raises(ValueError, match="review status moves only"):
        update_tracker(
            tracker=tracker, loaded_version=1, changed_by=UserFactory(), **{field: "approved"}
        )
    with pytest.raises(ValueError, match="review status moves only"):
        create_tracker(
            **new_tracker(),
            submission_token=uuid.uuid4(),
            created_by=UserFactory(),
            **{field: "approved"},
        )

    tracker.refresh_from_db()
    assert (tracker.status, Tracker.objects.count()) == (Tracker.Status.NEW, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("weekly_hours", Decimal("30"), Tracker.Status.IN_REVIEW),
        ("hourly_rate", Decimal("15"), Tracker.Status.IN_REVIEW),
        ("start_date", datetime.date(2025, 6, 9), Tracker.Status.IN_REVIEW),
        ("description", "Head chef", Tracker.Status.APPROVED),
    ],
)
def test_update_tracker_approved_goes_back_to_review_when_what_was_approved_changes(
    field, value, status
):
    tracker = TrackerFactory(start_date=datetime.date(2025, 6, 2), status=Tracker.Status.APPROVED)
    editor = UserFactory()

    update_tracker(tracker=tracker, loaded_version=1, changed_by=editor, **{field: value})

    tracker.refresh_from_db()
    assert (tracker.status, tracker.edited_by, tracker.version) == (status, editor, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Tracker.Status.NEW, Tracker.Status.IN_REVIEW),
        (Tracker.Status.REJECTED, Tracker.Status.IN_REVIEW),
        (Tracker.Status.INFO_REQUESTED, Tracker.Status.IN_REVIEW),
    ],
)
def test_submit_for_review_sends_a_new_or_corrected_tracker_to_review(before, after):
    tracker = TrackerFactory(status=before)

    submit_for_review(tracker=tracker, loaded_version=1, submitted_by=UserFactory())

    tracker.refresh_from_db()
    assert (tracker.status, tracker.version) == (after, 2)
    assert tracker.submitted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Tracker.Status.IN_REVIEW, Tracker.Status.APPROVED])
def test_submit_for_review_refuses_a_tracker_in_review_or_approved(status):
    tracker = TrackerFactory(status=status)

    with pytest.raises(ValueError, match="cannot be submitted"):
        submit_for_review(tracker=tracker, loaded_version=1, submitted_by=UserFactory())

    tracker.refresh_from_db()
    assert (tracker.status, tracker.version) == (status, 1)


@pytest.mark.django_db
def test_update_tracker_emails_a_new_assignee(django_capture_on_commit_callbacks):
    tracker = TrackerFactory()
    reviewer = UserFactory(email="reviewer@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        update_tracker(
            tracker=tracker, loaded_version=1, changed_by=UserFactory(), assignee=reviewer
        )
    with django_capture_on_commit_callbacks(execute=True):
        update_tracker(
            tracker=tracker, loaded_version=2, changed_by=UserFactory(), description="Picker"
        )

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["reviewer@example.org"],
            f"Tracker to review: Warehouse operative ({tracker.participant.reference})",
        )
    ]

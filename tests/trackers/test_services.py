import datetime
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.factories import OrganisationFactory, ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import EvidenceDocument, Tracker
from trackers.services import (
    TrackerChanged,
    create_tracker,
    end_tracker,
    overlapping_jobs,
    update_tracker,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def new_tracker(**fields) -> Tracker:
    return Tracker(
        **{
            "participant": ParticipantFactory(),
            "type": Tracker.Type.JOB,
            "description": "Care assistant",
            "organisation": OrganisationFactory(status="confirmed"),
            "start_date": datetime.date(2025, 6, 2),
            "weekly_hours": Decimal("20"),
            "hourly_rate": Decimal("12.21"),
        }
        | fields
    )


def pdf(name="payslip.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stored_files(settings) -> list[str]:
    return sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_create_tracker_saves_tracker_and_documents(settings):
    user = UserFactory()

    tracker, created = create_tracker(
        tracker=new_tracker(), submission_token=uuid.uuid4(), documents=[pdf()], created_by=user
    )

    assert created is True
    assert Tracker.objects.get() == tracker
    document = EvidenceDocument.objects.get()
    assert (document.tracker, document.uploaded_by, document.size) == (tracker, user, len(PDF))
    assert stored_files(settings) == [document.file.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_create_tracker_with_a_used_token_returns_the_first_tracker():
    user, token = UserFactory(), uuid.uuid4()
    first, _ = create_tracker(tracker=new_tracker(), submission_token=token, created_by=user)

    again, created = create_tracker(
        tracker=new_tracker(), submission_token=token, documents=[pdf()], created_by=user
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
            tracker=new_tracker(),
            submission_token=uuid.uuid4(),
            documents=[pdf()],
            created_by=UserFactory(),
        )

    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_create_tracker_invalid_tracker_stores_nothing(settings):
    tracker = new_tracker(end_date=datetime.date(2025, 1, 1))

    with pytest.raises(Exception, match="end date"):
        create_tracker(
            tracker=tracker,
            submission_token=uuid.uuid4(),
            documents=[pdf()],
            created_by=UserFactory(),
        )

    assert Tracker.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_create_tracker_two_simultaneous_submissions_make_one_tracker():
    user, token = UserFactory(), uuid.uuid4()
    trackers = [new_tracker(), new_tracker()]
    results, barrier = [], threading.Barrier(2)

    def submit(tracker):
        barrier.wait()
        try:
            results.append(create_tracker(tracker=tracker, submission_token=token, created_by=user))
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
    theirs.weekly_hours = Decimal("30")
    update_tracker(tracker=theirs, loaded_version=1, changed_by=UserFactory())
    mine.weekly_hours = Decimal("10")

    with pytest.raises(TrackerChanged):
        update_tracker(tracker=mine, loaded_version=1, changed_by=UserFactory())

    tracker.refresh_from_db()
    assert (tracker.weekly_hours, tracker.version) == (Decimal("30.00"), 2)


@pytest.mark.django_db
def test_end_tracker_closes_and_records_who(administrator):
    tracker = TrackerFactory(start_date=datetime.date(2025, 6, 2))

    end_tracker(
        tracker=tracker,
        end_date=datetime.date(2025, 8, 1),
        note="Moved away",
        loaded_version=1,
        ended_by=administrator,
    )

    tracker.refresh_from_db()
    assert (tracker.status, tracker.end_date, tracker.version) == (
        "closed",
        datetime.date(2025, 8, 1),
        2,
    )
    assert tracker.history.first().history_user == administrator


@pytest.mark.django_db
def test_overlapping_jobs_finds_only_the_same_employer_in_overlapping_dates():
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

    assert overlapping_jobs(tracker) == [earlier]

"""What is held on a participant (tracker_site.privacy.held), the subject-access export
and the retention purge."""

import datetime
import io
import json
import zipfile
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError
from django.db.models import QuerySet
from django.urls import reverse

from participants.models import AccessLogEntry, Participant
from reviews.models import Decision
from tests.factories import (
    EvidenceDocumentFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    TrackerFactory,
    UserFactory,
)
from tracker_site.privacy.held import held_on
from tracker_site.privacy.retention import expired_participants
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 6, 1, 9, 0, tzinfo=datetime.UTC)


def linked_to_participants() -> set:
    """Every model with a foreign-key path to Participant, and the history of each."""
    linked = {Participant}
    while True:
        more = {
            model
            for model in apps.get_models()
            if model not in linked
            and any(
                field.many_to_one and field.related_model in linked
                for field in model._meta.get_fields()
            )
        }
        if not more:
            break
        linked |= more
    history = {model.history.model for model in linked if hasattr(model, "history")}
    return linked | history


def test_held_on_names_every_model_linked_to_participants(north):
    participant = ParticipantFactory(team=north)

    missing = linked_to_participants() - held_on(participant).keys()

    assert {model._meta.label for model in missing} == set()


@pytest.fixture
def record(north, media_root):
    document = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    participant = document.tracker.participant
    ParticipantMilestoneFactory(participant=participant)
    return participant


def test_subject_access_export_holds_every_row_and_file(supervisor_client, supervisor, record):
    response = supervisor_client.get(reverse("subject_access_export", args=[record.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    held = json.loads(archive.read("record.json"))
    document = EvidenceDocument.objects.get()
    assert held["participant"] == record.reference
    assert set(held["models"]) == {m._meta.label_lower for m in held_on(record)}
    assert [row["pk"] for row in held["models"]["trackers.tracker"]] == [document.tracker_id]
    assert [row["fields"]["kind"] for row in held["models"]["participants.accesslogentry"]] == [
        "subject_access"
    ]
    assert archive.read(f"evidence/{document.pk}-payslip.pdf") == document.file.read()
    assert held["evidence_files"] == [f"evidence/{document.pk}-payslip.pdf"]


def test_subject_access_export_is_a_supervisors(administrator_client, record):
    response = administrator_client.get(reverse("subject_access_export", args=[record.pk]))

    assert response.status_code == 403
    assert AccessLogEntry.objects.count() == 0


def expire(participant: Participant, *, ended: datetime.datetime) -> None:
    """Set when the participant's record and trackers last changed."""
    Participant.objects.filter(pk=participant.pk).update(updated_at=ended)
    Tracker.objects.filter(participant=participant).update(updated_at=ended)


@pytest.fixture
def old_and_recent(north, media_root):
    old = EvidenceDocumentFactory(
        tracker=TrackerFactory(participant__team=north, participant__reference="RS-OLD")
    )
    Decision.objects.create(
        tracker=old.tracker, tracker_version=1, outcome="approved", decided_by=UserFactory()
    )
    participant = old.tracker.participant
    Participant.objects.filter(pk=participant.pk).update(
        programme_start_date=datetime.date(2025, 1, 1)
    )
    AccessLogEntry.objects.create(
        participant=participant, user=UserFactory(), kind="viewed", url_name="x", path="/x/"
    )
    expire(participant, ended=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    recent = ParticipantFactory(team=north, reference="RS-NEW")
    expire(recent, ended=datetime.datetime(2029, 1, 1, tzinfo=datetime.UTC))
    return old, recent


def test_expired_participants_are_those_past_retention(old_and_recent, settings):
    settings.PARTICIPANT_RETENTION_MONTHS = 24

    expired = expired_participants(today=datetime.date(2030, 6, 1))

    assert [p.reference for p in expired] == ["RS-OLD"]


def test_expired_participants_keeps_those_within_retention(old_and_recent, settings):
    settings.PARTICIPANT_RETENTION_MONTHS = 24

    expired = expired_participants(today=datetime.date(2028, 12, 1))

    assert list(expired) == []


def test_purge_dry_run_counts_and_changes_nothing(old_and_recent, media_root):
    out = io.StringIO()

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("purge_expired_participants", "--dry-run", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "Would delete 1 participant whose live interest ended before 1 June 2028, "
        "and 0 referral files."
    )
    assert "  trackers.EvidenceDocument: 1" in out.getvalue().splitlines()
    assert Participant.objects.count() == 2
    assert old_and_recent[0].file.storage.exists(old_and_recent[0].file.name)


def test_purge_removes_rows_history_log_and_files(
    old_and_recent, django_capture_on_commit_callbacks
):
    document, recent = old_and_recent
    participant = document.tracker.participant
    name = document.file.name

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("purge_expired_participants", stdout=io.StringIO())

    assert list(Participant.objects.values_list("reference", flat=True)) == ["RS-NEW"]
    assert {model._meta.label: rows.count() for model, rows in held_on(participant).items()} == {
        model._meta.label: 0 for model in held_on(participant)
    }
    assert Participant.history.filter(id=recent.pk).count() == 1
    assert not document.file.storage.exists(name)


def test_purge_failing_half_way_deletes_nothing(old_and_recent):
    document = old_and_recent[0]
    delete = QuerySet.delete
    calls = []

    def fail_on_the_fifth(queryset):
        calls.append(queryset.model)
        if len(calls) == 5:
            raise DatabaseError("disk I/O error")
        return delete(queryset)

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        mock.patch.object(QuerySet, "delete", fail_on_the_fifth),
        pytest.raises(DatabaseError),
    ):
        call_command("purge_expired_participants", stdout=io.StringIO())

    assert Participant.objects.count() == 2
    assert Tracker.objects.count() == 1
    assert document.file.storage.exists(document.file.name)

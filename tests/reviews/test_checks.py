import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from organisations.models import Organisation
from reviews.checks import checklist, flags, missing_items, refusal
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from tests.reviews.conftest import evidence
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db

Kind = EvidenceDocument.Kind


def documents_of(tracker: Tracker) -> list[EvidenceDocument]:
    return list(tracker.documents.current())


def test_checklist_items_are_missing_uploaded_or_verified(in_review, compliance):
    contract = in_review.documents.get(kind=Kind.CONTRACT)
    contract.verified_by, contract.verified_at = compliance, timezone.now()
    contract.save()

    items = checklist(in_review, documents_of(in_review))

    assert [(i.requirement.name, i.state) for i in items] == [
        ("A contract, offer letter or employer confirmation", "verified"),
        ("At least one payslip", "uploaded"),
    ]
    assert items[0].verification.verified_by == compliance
    assert missing_items(items) == []


def test_checklist_of_a_tracker_with_no_evidence_misses_everything(participant, media_root):
    tracker = TrackerFactory(participant=participant)

    items = checklist(tracker, [])

    assert [i.state for i in items] == ["missing", "missing"]
    assert missing_items(items) == [
        "A contract, offer letter or employer confirmation",
        "At least one payslip",
    ]


def test_flags_nothing_for_a_plain_job(in_review):
    assert flags(in_review, documents_of(in_review)) == []


def test_flags_an_overlapping_job_with_the_same_employer(in_review):
    TrackerFactory(
        participant=in_review.participant,
        organisation=in_review.organisation,
        description="Picker",
        start_date=datetime.date(2024, 12, 2),
    )

    assert flags(in_review, documents_of(in_review)) == [
        f"Overlaps “Picker” at {in_review.organisation} (from 2 December 2024): the same "
        "employer twice at once."
    ]


def test_flags_pay_below_the_legal_minimum(in_review):
    Tracker.objects.filter(pk=in_review.pk).update(hourly_rate=Decimal("9.00"))
    in_review.refresh_from_db()

    assert flags(in_review, documents_of(in_review)) == [
        "£9.00 an hour is below the legal minimum of £11.44 (National Living Wage (21+)) for "
        "the participant's age on 6 January 2025."
    ]


def test_flags_the_same_evidence_file_on_another_participants_tracker(in_review, media_root):
    payslip = in_review.documents.get(kind=Kind.PAYSLIP)
    elsewhere = TrackerFactory(participant=ParticipantFactory(team=in_review.participant.team))
    copy = evidence(elsewhere, Kind.PAYSLIP)
    copy.sha256 = payslip.sha256
    copy.save()

    assert flags(in_review, documents_of(in_review)) == [
        "The same evidence file is attached to another participant's tracker."
    ]


def test_flags_an_employer_no_longer_confirmed(in_review):
    Organisation.objects.filter(pk=in_review.organisation_id).update(status="archived")
    in_review.refresh_from_db()

    assert flags(in_review, documents_of(in_review)) == [
        f"{in_review.organisation} is Archived, no longer Confirmed."
    ]


def test_flags_a_start_before_the_programme_start(in_review):
    Tracker.objects.filter(pk=in_review.pk).update(start_date=datetime.date(2024, 12, 1))
    in_review.refresh_from_db()

    assert flags(in_review, documents_of(in_review)) == [
        "The job started before the participant's programme start (6 January 2025)."
    ]


def test_flags_a_start_after_the_outcome_window(in_review):
    # The window: 638 days from 6 January 2025, so it ends on 6 October 2026.
    Tracker.objects.filter(pk=in_review.pk).update(
        start_date=datetime.date(2026, 10, 7), hourly_rate=Decimal("12.71")
    )
    in_review.refresh_from_db()

    assert flags(in_review, documents_of(in_review)) == [
        "The job started after the outcome window ended (6 October 2026)."
    ]


def test_refusal_is_empty_for_another_reviewer(in_review, compliance):
    assert refusal(in_review, compliance, documents_of(in_review)) == ""


def test_refusal_names_what_the_reviewer_did(in_review, administrator):
    uploader = UserFactory()
    evidence(in_review, Kind.PAYSLIP, uploaded_by=uploader)
    editor = UserFactory()
    Tracker.objects.filter(pk=in_review.pk).update(edited_by=editor)
    in_review.refresh_from_db()
    docs = documents_of(in_review)

    assert [refusal(in_review, user, docs) for user in (administrator, editor, uploader)] == [
        "You created this tracker, so someone else must review it.",
        "You last edited this tracker, so someone else must review it.",
        "You uploaded evidence for this tracker, so someone else must review it.",
    ]

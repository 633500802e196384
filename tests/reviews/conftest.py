"""Fixtures of the review tests: a Restart participant in the North team and a tracker
waiting for review, created by an administrator with the evidence the checklist needs."""

import datetime
import hashlib
import itertools
from decimal import Decimal

import pytest

from tests.factories import (
    EvidenceDocumentFactory,
    FinancialMilestoneFactory,
    ParticipantFactory,
    RestartProgrammeFactory,
    TrackerFactory,
)
from trackers.models import EvidenceDocument, Tracker

_unique = itertools.count(1)


@pytest.fixture
def participant(north):
    programme = RestartProgrammeFactory()
    FinancialMilestoneFactory(programme=programme, position=1, name="First pay", amount=1000)
    FinancialMilestoneFactory(
        programme=programme, position=2, name="Job outcome", amount=Decimal("4759.04")
    )
    return ParticipantFactory(
        team=north, programme=programme, programme_start_date=datetime.date(2025, 1, 6)
    )


def evidence(tracker: Tracker, kind: str, *, uploaded_by=None) -> EvidenceDocument:
    """A stored document of that kind, its content unlike any other test file's."""
    return EvidenceDocumentFactory(
        tracker=tracker,
        kind=kind,
        original_name=f"{kind}.pdf",
        uploaded_by=uploaded_by or tracker.created_by,
        sha256=hashlib.sha256(f"file {next(_unique)}".encode()).hexdigest(),
    )


@pytest.fixture
def in_review(participant, administrator, media_root) -> Tracker:
    """A job since 6 January 2025 (16 h at £12.21: £1,000 on 20 February 2025), created
    by the administrator with a contract and a payslip, In review, version 1."""
    tracker = TrackerFactory(
        participant=participant,
        start_date=datetime.date(2025, 1, 6),
        weekly_hours=Decimal("16"),
        hourly_rate=Decimal("12.21"),
        status=Tracker.Status.IN_REVIEW,
        created_by=administrator,
        edited_by=administrator,
    )
    evidence(tracker, EvidenceDocument.Kind.CONTRACT)
    evidence(tracker, EvidenceDocument.Kind.PAYSLIP)
    return tracker

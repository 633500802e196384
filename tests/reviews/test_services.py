import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from reviews.models import Decision, ReviewReason
from reviews.services import ReviewRefused, decide, reassign, release, take
from tests.factories import TrackerFactory, UserFactory
from tests.reviews.conftest import evidence
from trackers.models import EvidenceDocument, Tracker
from trackers.services import submit_for_review

pytestmark = pytest.mark.django_db

Outcome = Decision.Outcome


def reason(code="evidence_missing") -> ReviewReason:
    return ReviewReason.objects.get(code=code)


def test_decide_approve_records_the_decision_and_verifies_evidence_and_milestones(
    in_review, compliance, administrator, django_capture_on_commit_callbacks
):
    in_review.created_by.email = "amira@example.org"
    in_review.created_by.save()
    recalculate_participant(in_review.participant)

    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(
            tracker=in_review, outcome=Outcome.APPROVED, loaded_version=1, decided_by=compliance
        )

    in_review.refresh_from_db()
    assert (in_review.status, in_review.version) == (Tracker.Status.APPROVED, 2)
    assert list(
        Decision.objects.values_list("outcome", "reason", "tracker_version", "decided_by")
    ) == [("approved", None, 1, compliance.pk)]
    assert decision.tracker == in_review
    assert set(in_review.documents.values_list("verified_by", flat=True)) == {compliance.pk}
    # £1,000 was reached on 20 February 2025, long before today: Achieved, now Verified.
    assert list(in_review.participant.milestones.values_list("name", "status")) == [
        ("First pay", ParticipantMilestone.Status.VERIFIED),
        ("Job outcome", ParticipantMilestone.Status.VERIFIED),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["amira@example.org"], f"Approve: Warehouse operative ({in_review.participant.reference})")
    ]


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Outcome.REJECTED, Tracker.Status.REJECTED),
        (Outcome.INFO_REQUESTED, Tracker.Status.INFO_REQUESTED),
    ],
)
def test_decide_reject_or_request_records_the_reason_and_note(
    in_review, compliance, outcome, status
):
    decide(
        tracker=in_review,
        outcome=outcome,
        reason=reason("evidence_illegible"),
        note="The payslip is cut off.",
        loaded_version=1,
        decided_by=compliance,
    )

    in_review.refresh_from_db()
    assert in_review.status == status
    assert list(Decision.objects.values_list("outcome", "reason__code", "note")) == [
        (outcome, "evidence_illegible", "The payslip is cut off.")
    ]
    assert in_review.documents.filter(verified_at__isnull=False).count() == 0


@pytest.mark.parametrize("outcome", [Outcome.REJECTED, Outcome.INFO_REQUESTED])
def test_decide_without_a_reason_is_refused(in_review, compliance, outcome):
    with pytest.raises(ReviewRefused, match="Choose the reason"):
        decide(tracker=in_review, outcome=outcome, loaded_version=1, decided_by=compliance)

    in_review.refresh_from_db()
    assert (in_review.status, Decision.objects.count()) == (Tracker.Status.IN_REVIEW, 0)


@pytest.mark.parametrize(
    ("kept", "missing"),
    [
        ([EvidenceDocument.Kind.PAYSLIP], "A contract, offer letter or employer confirmation"),
        ([EvidenceDocument.Kind.OFFER_LETTER], "At least one payslip"),
        (
            [EvidenceDocument.Kind.OTHER],
            "A contract, offer letter or employer confirmation, At least one payslip",
        ),
    ],
)
def test_decide_approve_is_refused_while_a_required_item_is_missing(
    participant, administrator, compliance, media_root, kept, missing
):
    tracker = TrackerFactory(
        participant=participant, status=Tracker.Status.IN_REVIEW, created_by=administrator
    )
    for kind in kept:
        evidence(tracker, kind)

    with pytest.raises(ReviewRefused) as refused:
        decide(tracker=tracker, outcome=Outcome.APPROVED, loaded_version=1, decided_by=compliance)

    assert str(refused.value) == f"It cannot be approved while evidence is missing: {missing}."
    tracker.refresh_from_db()
    assert (tracker.status, Decision.objects.count()) == (Tracker.Status.IN_REVIEW, 0)


def test_decide_approve_of_self_employment_needs_hmrc_registration_trading_records_and_bank(
    participant, administrator, compliance, media_root
):
    tracker = TrackerFactory(
        participant=participant, type=Tracker.Type.SELF_EMPLOYMENT, organisation=None,
        status=Tracker.Status.IN_REVIEW, created_by=administrator,
    )  # fmt: skip
    evidence(tracker, EvidenceDocument.Kind.PAYSLIP)
    evidence(tracker, EvidenceDocument.Kind.SELF_ASSESSMENT)

    with pytest.raises(ReviewRefused) as refused:
        decide(tracker=tracker, outcome=Outcome.APPROVED, loaded_version=1, decided_by=compliance)
    evidence(tracker, EvidenceDocument.Kind.TRADING_RECORDS)
    evidence(tracker, EvidenceDocument.Kind.BANK_STATEMENT)
    decide(tracker=tracker, outcome=Outcome.APPROVED, loaded_version=1, decided_by=compliance)

    tracker.refresh_from_db()
    assert str(refused.value) == (
        "It cannot be approved while evidence is missing: Trading records or invoices, "
        "Bank statements showing the business's takings."
    )
    assert tracker.status == Tracker.Status.APPROVED


@pytest.mark.parametrize("who", ["creator", "editor", "uploader", "superuser creator"])
def test_decide_four_eyes_refuses_the_trackers_own_people(in_review, who):
    person = UserFactory(is_superuser=who == "superuser creator")
    if who in ("creator", "superuser creator"):
        Tracker.objects.filter(pk=in_review.pk).update(created_by=person)
    elif who == "editor":
        Tracker.objects.filter(pk=in_review.pk).update(edited_by=person)
    else:
        evidence(in_review, EvidenceDocument.Kind.PAYSLIP, uploaded_by=person)
    in_review.refresh_from_db()

    for outcome, why in [(Outcome.APPROVED, None), (Outcome.REJECTED, reason())]:
        with pytest.raises(ReviewRefused, match="so someone else must review it"):
            decide(
                tracker=in_review, outcome=outcome, reason=why, loaded_version=1, decided_by=person
            )

    in_review.refresh_from_db()
    assert (in_review.status, Decision.objects.count()) == (Tracker.Status.IN_REVIEW, 0)


def test_decide_on_a_version_that_changed_is_refused(in_review, compliance):
    with pytest.raises(ReviewRefused, match="changed since you opened it"):
        decide(tracker=in_review, outcome=Outcome.APPROVED, loaded_version=0, decided_by=compliance)

    assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    "status", [Tracker.Status.APPROVED, Tracker.Status.REJECTED, Tracker.Status.INFO_REQUESTED]
)
def test_decide_on_a_decided_tracker_is_refused(in_review, compliance, status):
    Tracker.objects.filter(pk=in_review.pk).update(status=status)
    in_review.refresh_from_db()

    with pytest.raises(ReviewRefused, match="can be decided again once it is corrected"):
        decide(tracker=in_review, outcome=Outcome.APPROVED, loaded_version=1, decided_by=compliance)

    assert Decision.objects.count() == 0


def test_decide_after_a_rejection_and_resubmission_keeps_every_decision(in_review, compliance):
    decide(
        tracker=in_review,
        outcome=Outcome.REJECTED,
        reason=reason(),
        loaded_version=1,
        decided_by=compliance,
    )
    in_review.refresh_from_db()
    submit_for_review(tracker=in_review, loaded_version=2, submitted_by=in_review.created_by)
    in_review.refresh_from_db()

    decide(tracker=in_review, outcome=Outcome.APPROVED, loaded_version=3, decided_by=compliance)

    assert list(
        Decision.objects.order_by("decided_at").values_list("outcome", "tracker_version")
    ) == [
        ("rejected", 1),
        ("approved", 3),
    ]


@pytest.mark.django_db(transaction=True)
def test_decide_two_reviewers_at_once_make_one_decision(in_review, compliance):
    other = UserFactory(role="Compliance officer", teams=[in_review.participant.team])
    results, barrier = [], threading.Barrier(2)

    def decide_as(reviewer):
        barrier.wait()
        try:
            decide(
                tracker=in_review, outcome=Outcome.APPROVED, loaded_version=1, decided_by=reviewer
            )
            results.append("decided")
        except ReviewRefused:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide_as, args=(r,)) for r in (compliance, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["decided", "refused"]
    assert Decision.objects.count() == 1


def test_take_and_release_move_the_assignee(in_review, compliance):
    take(tracker=in_review, reviewer=compliance)
    in_review.refresh_from_db()
    taken = in_review.assignee

    release(tracker=in_review, reviewer=compliance)

    in_review.refresh_from_db()
    assert (taken, in_review.assignee) == (compliance, None)
    assert [h.assignee_id for h in in_review.history.all()[:2]] == [None, compliance.pk]


def test_take_a_tracker_someone_has_is_refused(in_review, compliance):
    other = UserFactory(first_name="Daniel", last_name="Okafor")
    Tracker.objects.filter(pk=in_review.pk).update(assignee=other)

    with pytest.raises(ReviewRefused, match="Daniel Okafor took this tracker"):
        take(tracker=in_review, reviewer=compliance)
    with pytest.raises(ReviewRefused, match="not assigned to you"):
        release(tracker=in_review, reviewer=compliance)

    in_review.refresh_from_db()
    assert in_review.assignee == other


def test_reassign_moves_every_tracker_and_tells_the_new_reviewer(
    in_review, compliance, supervisor, django_capture_on_commit_callbacks
):
    leaving = UserFactory()
    second = TrackerFactory(participant=in_review.participant, assignee=leaving)
    Tracker.objects.filter(pk=in_review.pk).update(assignee=leaving)
    compliance.email = "priya@example.org"
    compliance.save()

    with django_capture_on_commit_callbacks(execute=True):
        moved = reassign(
            trackers=Tracker.objects.filter(assignee=leaving), to=compliance, by=supervisor
        )

    assert moved == 2
    assert set(Tracker.objects.values_list("pk", "assignee")) == {
        (in_review.pk, compliance.pk),
        (second.pk, compliance.pk),
    }
    assert [m.to for m in mail.outbox] == [["priya@example.org"], ["priya@example.org"]]
    assert all(m.subject.startswith("Tracker to review: ") for m in mail.outbox)
    assert datetime.date.today()  # the emails are sent once the transaction commits

"""Writes of the compliance review: taking and releasing trackers, reassigning them, and
deciding on them. Each decision is kept as a row and moves the tracker's review status;
approving verifies its evidence and, through the recalculation, the milestones the
approved jobs support."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from milestones.recalculation import recalculate_participant
from reviews.checks import checklist, missing_items, refusal
from reviews.models import Decision, ReviewReason
from reviews.notifications import tell_creator
from trackers.models import Tracker
from trackers.notifications import tell_assignee


class ReviewRefused(Exception):
    """The review action cannot be taken; the message says why, for the reviewer."""


@transaction.atomic
def decide(
    *,
    tracker: Tracker,
    outcome: str,
    reason: ReviewReason | None = None,
    note: str = "",
    loaded_version: int,
    decided_by: AbstractBaseUser,
) -> Decision:
    """Record the decision on the version of the tracker the reviewer saw and move its
    review status. Refused (ReviewRefused, nothing written) when the tracker changed
    since, is not waiting for a decision, is the reviewer's own work (four-eyes), a
    reason is missing for a rejection or a request, or, to approve, a required checklist
    item is missing. Approving marks the evidence verified by the reviewer; the
    participant's milestones are recalculated; the tracker's creator is emailed.
    """
    current = Tracker.objects.select_for_update().select_related("participant").get(pk=tracker.pk)
    if current.version != loaded_version:
        raise ReviewRefused(
            "This tracker changed since you opened it (someone else may have decided on it), "
            "so your decision was not recorded. Look at it again before you decide."
        )
    documents = list(current.documents.current())
    refused = refusal(current, decided_by, documents)
    if refused:
        raise ReviewRefused(refused)
    if outcome == Decision.Outcome.APPROVED:
        missing = missing_items(checklist(current, documents))
        if missing:
            raise ReviewRefused(
                f"It cannot be approved while evidence is missing: {', '.join(missing)}."
            )
    elif reason is None:
        raise ReviewRefused("Choose the reason, so that whoever corrects it knows what to do.")
    decision = Decision(
        tracker=current,
        outcome=outcome,
        reason=reason if outcome != Decision.Outcome.APPROVED else None,
        note=note,
        tracker_version=current.version,
        decided_by=decided_by,
    )
    decision.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise ReviewRefused("Someone else decided on this tracker a moment ago.") from None
    current.status = Decision.STATUS[outcome]
    current.version += 1
    current._history_user = decided_by
    current.save(update_fields=["status", "version", "updated_at"])
    if outcome == Decision.Outcome.APPROVED:
        _verify(documents, by=decided_by)
    recalculate_participant(current.participant)
    tell_creator(decision)
    return decision


def _verify(documents, *, by: AbstractBaseUser) -> None:
    now = timezone.now()
    for document in documents:
        if document.verified_at is None:
            document.verified_by, document.verified_at = by, now
            document._history_user = by
            document.save(update_fields=["verified_by", "verified_at"])


@transaction.atomic
def take(*, tracker: Tracker, reviewer: AbstractBaseUser) -> Tracker:
    """Assign an unassigned tracker to the reviewer. ReviewRefused if someone has it."""
    current = Tracker.objects.select_for_update().get(pk=tracker.pk)
    if current.assignee_id == reviewer.pk:
        return current
    if current.assignee_id is not None:
        raise ReviewRefused(f"{_name(current.assignee)} took this tracker a moment ago.")
    return _assign(current, to=reviewer, by=reviewer)


@transaction.atomic
def release(*, tracker: Tracker, reviewer: AbstractBaseUser) -> Tracker:
    """Put the reviewer's tracker back among the unassigned."""
    current = Tracker.objects.select_for_update().get(pk=tracker.pk)
    if current.assignee_id != reviewer.pk:
        raise ReviewRefused("This tracker is not assigned to you.")
    return _assign(current, to=None, by=reviewer)


@transaction.atomic
def reassign(
    *, trackers: QuerySet[Tracker], to: AbstractBaseUser | None, by: AbstractBaseUser
) -> int:
    """Give every one of these trackers to ``to`` (None: unassigned), e.g. when a reviewer
    leaves; each new assignee is emailed. Returns how many were moved."""
    moved = 0
    for tracker in trackers.select_for_update().select_related("participant"):
        if tracker.assignee_id != (to.pk if to else None):
            _assign(tracker, to=to, by=by)
            moved += 1
    return moved


def _assign(tracker: Tracker, *, to: AbstractBaseUser | None, by: AbstractBaseUser) -> Tracker:
    tracker.assignee = to
    tracker._history_user = by
    tracker.save(update_fields=["assignee", "updated_at"])
    if to is not None and to != by:
        tell_assignee(tracker)
    return tracker


def _name(user: AbstractBaseUser | None) -> str:
    return (user.get_full_name() or user.username) if user else "Someone"

"""Emails of the compliance review: a decision to the tracker's creator, and the daily
digest of overdue trackers to each reviewer."""

from django.urls import reverse

from reviews.models import Decision
from trackers.notifications import full_address, send_after_commit, tracker_link


def tell_creator(decision: Decision) -> None:
    tracker = decision.tracker
    participant = tracker.participant
    lines = [
        f"{decision.decided_by.get_full_name() or decision.decided_by.username} decided on "
        f"{tracker} for {participant.full_name} ({participant.reference}): "
        f"{decision.get_outcome_display()}.",
    ]
    if decision.reason:
        lines.append(f"Reason: {decision.reason}.")
    if decision.note:
        lines.append(f"Note: {decision.note}")
    if tracker.status in tracker.SUBMITTABLE:
        lines.append("Correct the tracker, then submit it for review again.")
    send_after_commit(
        to=[tracker.created_by],
        subject=f"{decision.get_outcome_display()}: {tracker.description} ({participant.reference})",
        body="\n\n".join([*lines, tracker_link(tracker)]) + "\n",
    )


def send_digest(*, reviewer, trackers: list) -> None:
    """The reviewer's overdue trackers, one line each, with a link to their queue."""
    lines = [
        f"- {t.description} for {t.participant.full_name} ({t.participant.reference}): "
        f"{tracker_link(t)}"
        for t in trackers
    ]
    send_after_commit(
        to=[reviewer],
        subject=f"{len(trackers)} overdue tracker{'s' if len(trackers) != 1 else ''} to review",
        body="These trackers assigned to you are overdue:\n\n"
        + "\n".join(lines)
        + f"\n\nYour queue: {full_address(reverse('reviews:queue'))}?tab=overdue\n",
    )

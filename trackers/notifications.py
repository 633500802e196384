"""Emails about a tracker that someone must act on, sent through Django's email framework
once the transaction that caused them commits (a save that rolls back sends nothing)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from trackers.models import Tracker


def full_address(path: str) -> str:
    """A path of this site as a full address, for an email."""
    return settings.SITE_URL.rstrip("/") + path


def tracker_link(tracker: Tracker) -> str:
    return full_address(reverse("trackers:detail", args=[tracker.participant_id, tracker.pk]))


def send_after_commit(*, to, subject: str, body: str) -> None:
    """Send the email to these users (those with an address) once the transaction commits."""
    addresses = sorted({user.email for user in to if user and user.email})
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, addresses, fail_silently=False)
        )


def tell_assignee(tracker: Tracker) -> None:
    """Tell the tracker's assignee it is theirs to review."""
    participant = tracker.participant
    send_after_commit(
        to=[tracker.assignee],
        subject=f"Tracker to review: {tracker.description} ({participant.reference})",
        body=(
            f"{tracker} for {participant.full_name} ({participant.reference}) is assigned "
            f"to you for review.\n\n{tracker_link(tracker)}\n"
        ),
    )

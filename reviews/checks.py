"""What a reviewer is shown about a tracker before deciding: its evidence checklist and
the checks that flag something to look at. Nothing here writes."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from milestones.recalculation import window_end
from programmes.models import MinimumWageRate
from reviews.models import EvidenceRequirement
from trackers.models import EvidenceDocument, Tracker


@dataclass(frozen=True)
class ChecklistItem:
    requirement: EvidenceRequirement
    documents: list[EvidenceDocument]

    @property
    def missing(self) -> bool:
        return not self.documents

    @property
    def verification(self) -> EvidenceDocument | None:
        """The document whose verification stands for the item (the first verified)."""
        return next((d for d in self.documents if d.verified_at), None)

    @property
    def state(self) -> str:
        if self.missing:
            return "missing"
        return "verified" if self.verification else "uploaded"


def checklist(tracker: Tracker, documents: list[EvidenceDocument]) -> list[ChecklistItem]:
    """Each checklist item of the tracker's type, with its current documents that meet it."""
    return [
        ChecklistItem(
            requirement=requirement,
            documents=[d for d in documents if d.kind in requirement.kinds],
        )
        for requirement in EvidenceRequirement.objects.filter(tracker_type=tracker.type)
    ]


def missing_items(items: list[ChecklistItem]) -> list[str]:
    return [item.requirement.name for item in items if item.requirement.required and item.missing]


def flags(tracker: Tracker, documents: list[EvidenceDocument]) -> list[str]:
    """Each thing the reviewer should look at twice, in words."""
    participant = tracker.participant
    found = []
    for other in Tracker.objects.overlapping(tracker).select_related("organisation"):
        found.append(
            f"Overlaps “{other.description}” at {other.organisation} (from "
            f"{other.start_date:%-d %B %Y}): the same employer twice at once."
        )
    minimum = MinimumWageRate.objects.rate_for(
        date_of_birth=participant.date_of_birth, on=tracker.start_date
    )
    if minimum and tracker.hourly_rate < minimum.hourly_rate:
        found.append(
            f"£{tracker.hourly_rate} an hour is below the legal minimum of "
            f"£{minimum.hourly_rate} ({minimum.band}) for the participant's age on "
            f"{tracker.start_date:%-d %B %Y}."
        )
    hashes = {d.sha256 for d in documents}
    if (
        hashes
        and EvidenceDocument.objects.current()
        .filter(sha256__in=hashes)
        .exclude(tracker__participant=participant)
        .exists()
    ):
        found.append("The same evidence file is attached to another participant's tracker.")
    if tracker.organisation and not tracker.organisation.is_confirmed:
        found.append(
            f"{tracker.organisation} is {tracker.organisation.get_status_display()}, "
            "no longer Confirmed."
        )
    if tracker.start_date < participant.programme_start_date:
        found.append(
            f"The job started before the participant's programme start "
            f"({participant.programme_start_date:%-d %B %Y})."
        )
    ends = window_end(participant)
    if tracker.start_date > ends:
        found.append(f"The job started after the outcome window ended ({ends:%-d %B %Y}).")
    return found


def refusal(tracker: Tracker, user: AbstractBaseUser, documents: list[EvidenceDocument]) -> str:
    """Why this user may not decide on the tracker now, or "" when they may.

    Four-eyes, by who people are and never by their permissions, so no role (superusers
    included) gets round it: whoever created the tracker, last edited it, or uploaded
    any of its evidence, may not decide on it.
    """
    if not tracker.waiting_for_review:
        return (
            f"This tracker is {tracker.get_status_display()}: it can be decided again once "
            "it is corrected and submitted for review."
        )
    if user.pk == tracker.created_by_id:
        return "You created this tracker, so someone else must review it."
    if user.pk == tracker.edited_by_id:
        return "You last edited this tracker, so someone else must review it."
    if any(d.uploaded_by_id == user.pk for d in documents):
        return "You uploaded evidence for this tracker, so someone else must review it."
    return ""

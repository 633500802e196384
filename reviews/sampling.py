"""Second-line QA sampling: what a sample is drawn from (the approved trackers of the
user's teams), drawing a seeded random sample, recording each check's result, and the
error rate per adviser."""

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from participants.access import of_participants_for
from reviews.models import QaSample, QaSampleItem
from trackers.models import Tracker

Result = QaSampleItem.Result

NO_ADVISER = "No adviser"


def approved_trackers_for(user: AbstractBaseUser) -> QuerySet[Tracker]:
    """The approved trackers of the user's teams: the population a sample is drawn from."""
    return Tracker.objects.filter(of_participants_for(user), status=Tracker.Status.APPROVED)


def sample_size(population: int, percent: Decimal) -> int:
    """``percent`` of the population rounded up: at least one from any population."""
    if population == 0:
        return 0
    return min(population, max(1, math.ceil(population * percent / 100)))


@transaction.atomic
def draw_sample(
    *,
    trackers: QuerySet[Tracker],
    percent: Decimal,
    seed: int,
    filters: dict,
    drawn_by: AbstractBaseUser,
) -> QaSample:
    """Draws ``percent`` of ``trackers`` (already scoped and filtered) at random and
    stores the sample with one pending item per tracker drawn. The same seed and
    population always draw the same trackers. Raises ValidationError when the population
    is empty or the percentage is not more than 0 and at most 100; nothing is stored then."""
    if not Decimal(0) < percent <= Decimal(100):
        raise ValidationError({"percent": "Enter a percentage more than 0 and no more than 100."})
    # Sorted, so that the order the database returns rows in cannot change the draw.
    population = sorted(trackers.values_list("pk", flat=True))
    if not population:
        raise ValidationError("No approved trackers match.")
    # A repeatable draw, not a secret: the seed is recorded so anyone can repeat it.
    chosen = random.Random(seed).sample(population, sample_size(len(population), percent))  # noqa: S311
    sample = QaSample(
        drawn_by=drawn_by,
        percent=percent,
        seed=seed,
        population=len(population),
        filters=filters,
    )
    sample.full_clean()
    sample.save()
    items = [QaSampleItem(sample=sample, tracker_id=pk) for pk in sorted(chosen)]
    for item in items:
        # The trackers come from the population and each is drawn once: checking the
        # keys and the one-per-tracker constraint again would cost two queries an item.
        item.full_clean(exclude=["sample", "tracker"])
    QaSampleItem.objects.bulk_create(items)
    return sample


@transaction.atomic
def record_result(
    *, item: QaSampleItem, result: str, note: str, checked_by: AbstractBaseUser
) -> QaSampleItem:
    """Records the second check of a sampled tracker (Passed or Failed), who made it and
    when. A failed check needs a note. A result, once recorded, is not changed: a second
    one raises ValidationError."""
    if result not in (Result.PASSED, Result.FAILED):
        raise ValidationError({"result": "Choose Passed or Failed."})
    if result == Result.FAILED and not note.strip():
        raise ValidationError({"note": "Enter a note saying what failed."})
    # Locked, so that two people recording at once cannot both record a result.
    current = QaSampleItem.objects.select_for_update().get(pk=item.pk)
    if current.result != Result.PENDING:
        raise ValidationError("A result has already been recorded for this tracker.")
    item.result = result
    item.note = note.strip()
    item.checked_by = checked_by
    item.checked_at = timezone.now()
    item.full_clean()
    item.save()
    return item


@dataclass(frozen=True)
class AdviserRate:
    """Of an adviser's sampled trackers that were checked, how many failed: ``rate`` is
    the percentage, to one decimal place."""

    adviser: str
    checked: int
    failed: int
    rate: Decimal


def error_rate(*, checked: int, failed: int) -> Decimal:
    return (Decimal(failed * 100) / Decimal(checked)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


ADVISER = "tracker__participant__adviser"


def error_rates(sample_items: QuerySet[QaSampleItem]) -> list[AdviserRate]:
    """The error rate of the checked items per adviser of the tracker's participant, in
    the advisers' name order, then "No adviser". Items not checked yet do not count."""
    rows = (
        sample_items.exclude(result=Result.PENDING)
        .values(ADVISER, f"{ADVISER}__first_name", f"{ADVISER}__last_name", f"{ADVISER}__username")
        .annotate(checked=Count("pk"), failed=Count("pk", filter=Q(result=Result.FAILED)))
        .order_by()
    )
    rows = sorted(rows, key=lambda row: (row[ADVISER] is None, _adviser_name(row).lower()))
    return [
        AdviserRate(
            adviser=_adviser_name(row),
            checked=row["checked"],
            failed=row["failed"],
            rate=error_rate(checked=row["checked"], failed=row["failed"]),
        )
        for row in rows
    ]


def _adviser_name(row: dict) -> str:
    if row[ADVISER] is None:
        return NO_ADVISER
    full_name = f"{row[f'{ADVISER}__first_name']} {row[f'{ADVISER}__last_name']}".strip()
    return full_name or row[f"{ADVISER}__username"]

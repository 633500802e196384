"""manage.py seed_scale: the same data on every run, with the skew and the search index."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate
from organisations.models import Contact, Organisation
from participants.models import Participant
from programmes.models import Programme
from tracker_site.management.commands.seed_scale import TODAY
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db(transaction=True)

SIZE = 200


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", "--participants", str(SIZE), *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything seeded, by natural keys (ids and creation times may differ)."""
    return {
        "participants": list(
            Participant.objects.order_by("reference").values_list(
                "reference", "first_name", "last_name", "date_of_birth", "nino", "postcode",
                "email", "programme__name", "programme_start_date", "team__name",
                "adviser__username",
            )
        ),
        "trackers": list(
            Tracker.objects.order_by("participant__reference", "start_date", "description")
            .values_list(
                "participant__reference", "type", "status", "description", "organisation__name",
                "start_date", "end_date", "weekly_hours", "hourly_rate", "assignee__username",
            )
        ),
        "documents": sorted(EvidenceDocument.objects.values_list("sha256", "kind", "size")),
        "milestones": sorted(
            ParticipantMilestone.objects.values_list(
                "participant__reference", "name", "amount", "earned_to_date", "projected_date",
                "status",
            )
        ),
        "organisations": sorted(Organisation.objects.values_list("name", "status", "category")),
        "contacts": sorted(Contact.objects.values_list("organisation__name", "name", "email")),
    }  # fmt: skip


def test_seed_scale_gives_the_same_data_twice():
    seed()
    first = snapshot()

    seed("--force")

    assert snapshot() == first
    assert len(first["participants"]) == SIZE
    assert len(first["trackers"]) == 80
    assert len(first["documents"]) == 160
    assert len(first["organisations"]) == 32
    assert len(first["contacts"]) == 64


def test_seed_scale_skews_one_adviser_and_one_employer():
    seed()

    advisers = Participant.objects.values("adviser").annotate(n=Count("id")).order_by("-n")
    employers = (
        Tracker.objects.filter(organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    # Capped at half the participants and a fifth of the trackers at this tiny size.
    assert (advisers[0]["n"], advisers[1]["n"] < SIZE // 2) == (SIZE // 2, True)
    assert (employers[0]["n"], employers[1]["n"] < 80 // 10) == (80 // 5, True)


def test_seed_scale_fills_the_search_index_and_the_history():
    seed()

    nino = Participant.objects.exclude(nino="").order_by("reference")[5].nino
    for term in ["smith", "patel", nino.lower(), "s0000042"]:
        naive = set(Participant.objects.filter(search_text__contains=term).values_list("pk"))
        assert set(Participant.objects.search(term).values_list("pk")) == naive
        assert naive
    assert Participant.history.count() == SIZE
    assert Tracker.history.count() == 80
    assert EvidenceDocument.history.count() == 160
    assert ParticipantMilestone.history.count() == ParticipantMilestone.objects.count() > 0


def test_seed_scale_milestones_are_what_the_recalculation_stores():
    seed()

    # As of the seed's day, recalculating every participant finds nothing to change.
    changes = recalculate(Participant.objects.all(), today=TODAY)

    assert (changes.create, changes.update, changes.delete) == ([], [], [])
    on_restart = Participant.objects.filter(programme__milestones_enabled=True).count()
    assert ParticipantMilestone.objects.count() >= 2 * on_restart > 0


def test_seed_scale_refuses_a_database_with_participants():
    seed()

    with pytest.raises(CommandError, match="already holds 200 participants"):
        seed()
    with pytest.raises(CommandError, match="not a seed of 300"):
        call_command("seed_scale", "--participants", "300", "--reuse", stdout=StringIO())
    assert "Reusing the seed of 200" in seed("--reuse")
    assert Participant.objects.count() == SIZE


def test_seed_scale_can_put_everyone_on_a_programme_of_more_milestones():
    """For the export of a million participant milestones: 250,000 participants × 4."""
    seed("--milestone-share", "1", "--milestones", "4")

    restart = Programme.objects.get(milestones_enabled=True)
    assert list(restart.financial_milestones.values_list("name", "amount")) == [
        ("Lower earnings milestone", Decimal("2539.68")),
        ("Job outcome", Decimal("5079.36")),
        ("Sustained earnings 1", Decimal("6079.36")),
        ("Sustained earnings 2", Decimal("7079.36")),
    ]
    assert Participant.objects.filter(programme=restart).count() == SIZE
    earnings = ParticipantMilestone.objects.filter(kind=ParticipantMilestone.Kind.EARNINGS)
    assert earnings.count() == 4 * SIZE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--milestone-share", "1.5"], "--milestone-share must be from 0 to 1."),
        (["--milestones", "0"], "--milestones must be from 1 to 20."),
    ],
)
def test_seed_scale_refuses_shares_and_counts_out_of_range(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert not Participant.objects.exists()

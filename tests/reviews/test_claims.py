"""Ready to claim: the worklist's query, its CSV exports and marking Claimed (reviews.claims)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from milestones.models import ParticipantMilestone
from reviews import claims
from reviews.models import ClaimExport
from tests.factories import ParticipantFactory, ParticipantMilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ParticipantMilestone.Status
ClaimStatus = ParticipantMilestone.ClaimStatus

HEADER = (
    "\ufeffParticipant reference,Participant,NINO,Programme,Team,Milestone,Amount (£),"
    "Projected date,Status,Claim status\r\n"
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def verified(**fields) -> ParticipantMilestone:
    """A milestone compliance has verified and nobody has claimed."""
    return ParticipantMilestoneFactory(
        **{"status": Status.VERIFIED, "projected_date": days(-7), "weeks_left": 0} | fields
    )


def names(milestones) -> list[str]:
    return [milestone.participant.last_name for milestone in milestones]


# ready_to_claim


def test_ready_to_claim_lists_only_verified_not_claimed_milestones(supervisor):
    verified(participant__last_name="Ready")
    verified(participant__last_name="Claimed", claim_status=ClaimStatus.CLAIMED)
    verified(participant__last_name="On hold", claim_status=ClaimStatus.ON_HOLD)
    ParticipantMilestoneFactory(participant__last_name="Achieved", status=Status.ACHIEVED)
    ParticipantMilestoneFactory(participant__last_name="Projected")

    ready = claims.ready_to_claim(supervisor)

    assert names(ready) == ["Ready"]


def test_ready_to_claim_sorts_by_projected_date(supervisor):
    verified(participant__last_name="Later", projected_date=days(-1))
    verified(participant__last_name="Earliest", projected_date=days(-30))
    verified(participant__last_name="Between", projected_date=days(-10))

    ready = claims.ready_to_claim(supervisor)

    assert names(ready) == ["Earliest", "Between", "Later"]


def test_ready_to_claim_shows_only_the_users_teams(north, south):
    verified(participant__last_name="North", participant__team=north)
    verified(participant__last_name="South", participant__team=south)

    ready = claims.ready_to_claim(UserFactory(teams=[north]))

    assert names(ready) == ["North"]


# claim_exports_for


def test_claim_exports_for_a_user_of_every_team_is_every_export(supervisor, north):
    theirs = ClaimExport.objects.create(
        created_by=UserFactory(teams=[north]), row_count=0, content=HEADER
    )
    own = ClaimExport.objects.create(created_by=supervisor, row_count=0, content=HEADER)

    exports = claims.claim_exports_for(supervisor)

    assert set(exports) == {theirs, own}


def test_claim_exports_for_a_team_member_is_their_own_exports(supervisor, north):
    member = UserFactory(teams=[north])
    ClaimExport.objects.create(created_by=supervisor, row_count=0, content=HEADER)
    own = ClaimExport.objects.create(created_by=member, row_count=0, content=HEADER)

    exports = claims.claim_exports_for(member)

    assert list(exports) == [own]


# export_ready_to_claim


def test_export_ready_to_claim_stores_the_csv_rows_and_filters(supervisor, north):
    participant = ParticipantFactory(
        reference="RS000042", first_name="Priya", last_name="Shah", nino="QQ123456C",
        team=north, programme__name="DWP Restart – CPA 5",
    )  # fmt: skip
    milestone = verified(
        participant=participant,
        name="Job outcome",
        amount=Decimal("5079.36"),
        projected_date=datetime.date(2025, 10, 25),
    )

    export = claims.export_ready_to_claim(
        milestones=claims.ready_to_claim(supervisor),
        filters={"team": north.pk},
        exported_by=supervisor,
    )

    assert ClaimExport.objects.get() == export
    assert (export.created_by, export.row_count, export.milestone_ids, export.filters) == (
        supervisor,
        1,
        [milestone.pk],
        {"team": north.pk},
    )
    assert export.content == HEADER + (
        "RS000042,Priya Shah,QQ 12 34 56 C,DWP Restart – CPA 5,North,Job outcome,5079.36,"
        "2025-10-25,Verified,Not claimed\r\n"
    )


def test_export_ready_to_claim_neutralises_formulas(supervisor):
    verified(participant__first_name='=HYPERLINK("http://x")', participant__last_name="Smith")

    export = claims.export_ready_to_claim(
        milestones=claims.ready_to_claim(supervisor), filters={}, exported_by=supervisor
    )

    header, row = csv.reader(io.StringIO(export.content.removeprefix("\ufeff")))
    assert row[header.index("Participant")] == '\'=HYPERLINK("http://x") Smith'


def test_export_ready_to_claim_leaves_out_milestones_no_longer_ready(supervisor):
    ready = verified(participant__last_name="Ready")
    verified(participant__last_name="Claimed", claim_status=ClaimStatus.CLAIMED)

    export = claims.export_ready_to_claim(
        milestones=ParticipantMilestone.objects.all(), filters={}, exported_by=supervisor
    )

    assert (export.row_count, export.milestone_ids) == (1, [ready.pk])


def test_export_ready_to_claim_of_nothing_stores_the_header_only(supervisor):
    export = claims.export_ready_to_claim(
        milestones=claims.ready_to_claim(supervisor), filters={}, exported_by=supervisor
    )

    assert (export.row_count, export.milestone_ids, export.filters, export.content) == (
        0,
        [],
        {},
        HEADER,
    )


# mark_claimed


def test_mark_claimed_claims_each_milestone_with_history(supervisor):
    first, second = verified(), verified()

    count = claims.mark_claimed(milestones=claims.ready_to_claim(supervisor), claimed_by=supervisor)

    assert count == 2
    for milestone in (first, second):
        latest = milestone.history.first()
        assert (latest.history_type, latest.history_user, latest.claim_status) == (
            "~",
            supervisor,
            ClaimStatus.CLAIMED,
        )


def test_mark_claimed_keeps_the_payment_details(supervisor):
    milestone = verified(paid_date=datetime.date(2025, 11, 20), payment_reference="DWP-123")

    claims.mark_claimed(milestones=claims.ready_to_claim(supervisor), claimed_by=supervisor)

    milestone.refresh_from_db()
    assert (milestone.claim_status, milestone.paid_date, milestone.payment_reference) == (
        ClaimStatus.CLAIMED,
        datetime.date(2025, 11, 20),
        "DWP-123",
    )


def test_mark_claimed_leaves_milestones_no_longer_ready_alone(supervisor):
    ready = verified()
    paid = verified(claim_status=ClaimStatus.PAID)
    achieved = ParticipantMilestoneFactory(status=Status.ACHIEVED)

    count = claims.mark_claimed(
        milestones=ParticipantMilestone.objects.all(), claimed_by=supervisor
    )

    assert count == 1
    assert dict(ParticipantMilestone.objects.values_list("pk", "claim_status")) == {
        ready.pk: ClaimStatus.CLAIMED,
        paid.pk: ClaimStatus.PAID,
        achieved.pk: ClaimStatus.NOT_CLAIMED,
    }
    assert [record.history_type for record in paid.history.all()] == ["+"]

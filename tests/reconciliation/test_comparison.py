"""Projected against DWP-confirmed: the difference and each flag, with a fixed clock."""

import datetime

import pytest
from django.urls import reverse

from milestones.models import ParticipantMilestone
from reconciliation.comparison import Flag, compare
from reconciliation.services import apply_import, preview_file
from tests.factories import TrackerFactory
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

TODAY = datetime.date(2025, 9, 1)
D = datetime.date


@pytest.mark.parametrize(
    ("projected", "status", "confirmed", "employment", "flags", "difference"),
    [
        # DWP within the allowance: no flag; a positive difference is DWP later.
        (D(2025, 5, 1), "achieved", D(2025, 6, 26), True, (), 56),
        # 8 weeks and a day later: late.
        (D(2025, 5, 1), "achieved", D(2025, 6, 27), True, (Flag.LATE,), 57),
        # DWP earlier than projected: no flag.
        (D(2025, 5, 1), "projected", D(2025, 4, 21), True, (), -10),
        # Confirmed with no recorded job.
        (D(2025, 5, 1), "achieved", D(2025, 5, 2), False, (Flag.UNKNOWN_EMPLOYMENT,), 1),
        (None, "not_reachable", D(2025, 5, 2), False, (Flag.UNKNOWN_EMPLOYMENT,), None),
        # Late and unknown together.
        (
            D(2025, 1, 1),
            "achieved",
            D(2025, 6, 1),
            False,
            (Flag.LATE, Flag.UNKNOWN_EMPLOYMENT),
            151,
        ),
        # Achieved 61 days ago, nothing from DWP: missing; 60 days: not yet.
        (D(2025, 7, 2), "achieved", None, True, (Flag.MISSING,), None),
        (D(2025, 7, 3), "verified", None, True, (), None),
        (D(2025, 6, 1), "verified", None, True, (Flag.MISSING,), None),
        # Still projected, or not reachable: never missing.
        (D(2025, 6, 1), "projected", None, True, (), None),
        (None, "not_reachable", None, True, (), None),
    ],
)
def test_flags(projected, status, confirmed, employment, flags, difference):
    comparison = compare(
        projected=projected,
        status=status,
        confirmed=confirmed,
        has_employment=employment,
        today=TODAY,
        late_weeks=8,
        missing_days=61,
    )

    assert (comparison.flags, comparison.difference_days) == (flags, difference)


@pytest.mark.django_db
def test_the_participant_page_shows_projected_against_dwp(supervisor_client, supervisor):
    world = build_world()
    participant = participant_with_milestones(world, po_number="PO1")
    TrackerFactory(participant=participant)
    first = participant.milestones.get(financial_milestone=world.first)
    projected = first.projected_date
    confirmed = projected + datetime.timedelta(days=70)
    apply_import(
        preview_file(
            data=notification_csv(
                notification(
                    po_number="PO1",
                    notification_date=confirmed.isoformat(),
                    date_created=confirmed.isoformat(),
                    amount_gbp="1000",
                    payment_status="Paid",
                    remittance_ref="REM-9",
                )
            ),
            file_name="rte.csv",
            mapping=world.mapping,
            uploaded_by=supervisor,
        ),
        applied_by=supervisor,
    )
    ParticipantMilestone.objects.filter(financial_milestone=world.outcome).update(
        status="achieved", projected_date=datetime.date(2020, 1, 1)
    )

    html = supervisor_client.get(
        reverse("participants:detail", kwargs={"pk": participant.pk})
    ).content.decode()

    panel = html[html.index('id="dwp-reconciliation"') :]
    first_row = panel[panel.index('data-milestone="First milestone"') :]
    first_row = first_row[: first_row.index("</tr>")]
    assert confirmed.strftime("%-d %b %Y") in first_row
    assert "70 days later" in first_row
    assert "Late" in first_row and "Unknown employment" not in first_row
    assert "£1,000.00 Paid" in first_row and "Remittance REM-9" in first_row
    outcome_row = panel[panel.index('data-milestone="Job outcome"') :]
    outcome_row = outcome_row[: outcome_row.index("</tr>")]
    assert "Not yet" in outcome_row and "Missing" in outcome_row


@pytest.mark.django_db
@pytest.mark.parametrize("confirmed", [1, 2])
def test_the_panel_costs_two_queries_however_many_milestones_dwp_confirmed(
    confirmed, supervisor_client, supervisor, django_assert_num_queries
):
    world = build_world()
    participant = participant_with_milestones(world, po_number="PO1")
    rows = [
        notification(po_number="PO1"),
        notification(po_number="PO1", notification_type="Earnings outcome"),
    ]
    apply_import(
        preview_file(
            data=notification_csv(*rows[:confirmed]),
            file_name="rte.csv",
            mapping=world.mapping,
            uploaded_by=supervisor,
        ),
        applied_by=supervisor,
    )

    # Session, user, permissions (2), the participant, the access log (2), header teams,
    # the milestones; then the panel's two: notifications and recorded job types.
    with django_assert_num_queries(10):
        supervisor_client.get(reverse("participants:detail", kwargs={"pk": participant.pk}))

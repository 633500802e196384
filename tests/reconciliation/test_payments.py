"""Payments from DWP's file: recorded with the notification, marked Reconciled, and
debits (clawback) with their reasons; a later notification is reconciled afresh."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from reconciliation.models import Debit, DwpNotification
from reconciliation.services import apply_import, preview_file
from tests.factories import TeamFactory, UserFactory
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db


def apply(world, user, *rows):
    return apply_import(
        preview_file(
            data=notification_csv(*rows),
            file_name="rte.csv",
            mapping=world.mapping,
            uploaded_by=user,
        ),
        applied_by=user,
    )


@pytest.fixture
def paid(supervisor):
    world = build_world()
    participant = participant_with_milestones(world, po_number="PO1")
    apply(
        world,
        supervisor,
        notification(
            po_number="PO1", amount_gbp="£1,250.00", payment_status="Paid", remittance_ref="REM-1"
        ),
    )
    held = DwpNotification.objects.get()
    return world, participant, held


def url(held):
    return reverse("reconciliation:payments", kwargs={"pk": held.participant_milestone_id})


def test_the_payment_is_shown_and_marked_reconciled_once(supervisor_client, supervisor, paid):
    _, _, held = paid

    page = supervisor_client.get(url(held)).content.decode()
    assert "£1,250.00" in page and "REM-1" in page and "Not yet" in page

    supervisor_client.post(url(held), {"action": "reconcile"})
    held.refresh_from_db()
    assert held.reconciled_by == supervisor and held.reconciled_at is not None
    page = supervisor_client.get(url(held)).content.decode()
    assert "Reconciled on" in page and "Mark as Reconciled" not in page


def test_a_later_notification_is_reconciled_afresh(supervisor_client, supervisor, paid):
    world, _, held = paid
    supervisor_client.post(url(held), {"action": "reconcile"})

    apply(
        world,
        supervisor,
        notification(po_number="PO1", date_created="2025-06-01", amount_gbp="1300"),
    )

    held.refresh_from_db()
    assert (held.amount, held.reconciled_at, held.reconciled_by) == (Decimal("1300.00"), None, None)


def test_a_debit_is_recorded_with_its_reason(supervisor_client, supervisor, paid):
    _, _, held = paid

    refused = supervisor_client.post(url(held), {"action": "debit", "amount": "-5", "reason": ""})
    assert "The amount debited must be more than £0." in refused.content.decode()
    assert "Give the reason for the debit." in refused.content.decode()

    supervisor_client.post(
        url(held),
        {
            "action": "debit",
            "amount": "1250.00",
            "debited_on_day": "3",
            "debited_on_month": "11",
            "debited_on_year": "2025",
            "reference": "DR-7",
            "reason": "Clawback: validation found no payslips",
        },
    )

    debit = Debit.objects.get()
    assert (debit.amount, debit.debited_on, debit.reason, debit.recorded_by) == (
        Decimal("1250.00"), datetime.date(2025, 11, 3), "Clawback: validation found no payslips", supervisor,
    )  # fmt: skip
    assert (
        "Clawback: validation found no payslips"
        in supervisor_client.get(url(held)).content.decode()
    )


def test_nothing_unpaid_is_reconciled_or_debited(supervisor_client, supervisor):
    world = build_world()
    participant_with_milestones(world, po_number="PO1")
    apply(world, supervisor, notification(po_number="PO1"))
    held = DwpNotification.objects.get()

    reconcile = supervisor_client.post(url(held), {"action": "reconcile"})
    debit = supervisor_client.post(
        url(held),
        {"action": "debit", "amount": "10", "debited_on_day": "3", "debited_on_month": "11",
         "debited_on_year": "2025", "reason": "x"},
    )  # fmt: skip

    assert "records no payment to reconcile" in reconcile.content.decode()
    assert "nothing can be debited" in debit.content.decode()
    held.refresh_from_db()
    assert held.reconciled_at is None and Debit.objects.count() == 0


def test_another_teams_milestone_is_not_found(client, paid):
    _, participant, held = paid
    participant.team = TeamFactory(name="South")
    participant.save()
    user = UserFactory(username="north.supervisor", teams=[TeamFactory(name="North")])
    user.user_permissions.add(
        Permission.objects.get(codename="use_front_end"),
        Permission.objects.get(codename="import_notifications"),
    )
    client.force_login(user)

    assert client.get(url(held)).status_code == 404
    assert client.post(url(held), {"action": "reconcile"}).status_code == 404
    held.refresh_from_db()
    assert held.reconciled_at is None


def test_the_participant_page_links_the_payment_and_shows_reconciled(
    supervisor_client, supervisor, paid
):
    _, participant, held = paid
    supervisor_client.post(url(held), {"action": "reconcile"})

    page = supervisor_client.get(
        reverse("participants:detail", kwargs={"pk": participant.pk})
    ).content.decode()

    assert f'href="{url(held)}"' in page
    assert "tag--reconciled" in page


def debit(client, held, amount: str):
    return client.post(
        url(held),
        {
            "action": "debit",
            "amount": amount,
            "debited_on_day": "3",
            "debited_on_month": "11",
            "debited_on_year": "2025",
            "reason": "Clawback after validation",
        },
    )


def test_debits_are_netted_against_the_payment_and_never_exceed_it(
    supervisor_client, supervisor, paid
):
    _, _, held = paid  # £1,250.00 paid
    debit(supervisor_client, held, "250.00")

    page = supervisor_client.get(url(held)).content.decode()
    assert "Paid £1,250.00, less £250.00 debited: <strong>£1,000.00 received</strong>." in page

    refused = debit(supervisor_client, held, "1000.01").content.decode()
    assert "That would debit £1,250.01 in all, more than the £1,250.00 DWP paid." in refused
    assert Debit.objects.count() == 1

    debit(supervisor_client, held, "1000.00")
    page = supervisor_client.get(url(held)).content.decode()
    assert "<strong>Fully debited:</strong> DWP has taken back the whole £1,250.00." in page
    assert "Record a debit" not in page

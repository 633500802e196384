"""DWP's data on a participant is held on them: purged with them, nothing else."""

import datetime
from decimal import Decimal

import pytest

from reconciliation.models import Debit, DwpNotification, ImportedRow, PrapReference
from reconciliation.services import apply_import, preview_file, record_debit
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)
from tracker_site.privacy.held import held_on
from tracker_site.privacy.retention import purge_participant

pytestmark = pytest.mark.django_db


def test_purging_a_participant_removes_their_dwp_data_only(supervisor, media_root):
    world = build_world()
    gone = participant_with_milestones(
        world, po_number="PO1", last_name="Gone", date_of_birth="1970-01-01"
    )
    kept = participant_with_milestones(world, po_number="PO2")
    notification_import = apply_import(
        preview_file(
            data=notification_csv(
                notification(po_number="PO1", amount_gbp="100"),
                notification(po_number="PO2"),
                notification(po_number="PO9", surname="Gone", dob="1970-01-01"),
            ),
            file_name="rte.csv",
            mapping=world.mapping,
            uploaded_by=supervisor,
        ),
        applied_by=supervisor,
    )
    record_debit(
        milestone=gone.milestones.get(financial_milestone=world.first),
        recorded_by=supervisor,
        amount=Decimal("100"),
        debited_on=datetime.date(2025, 11, 1),
        reason="Clawback",
    )
    assert held_on(gone)[ImportedRow].count() == 2

    purge_participant(participant=gone)

    assert list(DwpNotification.objects.values_list("participant", flat=True)) == [kept.pk]
    assert Debit.objects.count() == 0
    assert list(PrapReference.objects.values_list("po_number", flat=True)) == ["PO2"]
    assert list(notification_import.rows.values_list("line", flat=True)) == [3]

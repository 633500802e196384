"""The reconciliation pages: upload → preview → apply, the rows as imported, the work
queue (link, dismiss, export), and team scoping of every one."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import AccessLogEntry
from reconciliation.models import DwpNotification, ImportedRow, NotificationImport
from reconciliation.services import apply_import, preview_file
from tests.factories import TeamFactory, UserFactory
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db
State = ImportedRow.State


@pytest.fixture
def world(db):
    return build_world()


def upload(client, data: bytes, name: str = "rte.csv"):
    return client.post(
        reverse("reconciliation:upload"),
        {"file": SimpleUploadedFile(name, data), "mapping": build_world_mapping_pk()},
    )


def build_world_mapping_pk():
    from reconciliation.services import standard_mapping

    return standard_mapping().pk


def north_supervisor(north):
    """Someone who may import but sees only the North team."""
    user = UserFactory(username="north.supervisor", teams=[north])
    user.user_permissions.add(
        Permission.objects.get(codename="use_front_end"),
        Permission.objects.get(codename="import_notifications"),
    )
    return user


def test_upload_previews_then_applies_all_in_one_go(supervisor_client, world):
    participant = participant_with_milestones(world, po_number="PO100")
    data = notification_csv(
        notification(po_number="PO100", remittance_ref="REM-1"),
        notification(po_number="PO404"),
        notification(po_number="PO100", notification_type="Mystery"),
    )

    response = upload(supervisor_client, data)
    notification_import = NotificationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reconciliation:import_detail", kwargs={"pk": notification_import.pk}
    )

    preview = supervisor_client.get(response["Location"])
    html = preview.content.decode()
    assert 'data-count="matched_new">1<' in html
    assert 'data-count="unmatched">1<' in html
    assert 'data-count="invalid">1<' in html
    assert "Nothing has been recorded yet" in html
    assert "“Mystery” is not mapped" in html
    assert DwpNotification.objects.count() == 0

    applied = supervisor_client.post(response["Location"], follow=True)
    assert "rte.csv applied: 1 notification recorded." in applied.content.decode()
    assert participant.dwp_notifications.get().remittance_reference == "REM-1"
    notification_import.refresh_from_db()
    assert notification_import.status == NotificationImport.Status.APPLIED

    again = supervisor_client.post(response["Location"])
    assert "rte.csv has already been applied." in again.content.decode()


def test_a_file_that_changes_nothing_is_recorded_by_its_own_button(supervisor_client, world):
    data = notification_csv(notification(po_number="PO404"))
    supervisor_client.post(upload(supervisor_client, data)["Location"])  # applied: unmatched

    response = upload(supervisor_client, data)
    html = supervisor_client.get(response["Location"]).content.decode()

    assert 'data-count="complete">1<' in html
    assert "No row of this file changes what is held." in html
    assert "Record the file, applying nothing</button>" in html
    assert "Apply 0" not in html
    recorded = supervisor_client.post(response["Location"], follow=True)
    assert "rte.csv applied: 0 notifications recorded." in recorded.content.decode()
    assert ImportedRow.objects.filter(state=ImportedRow.State.UNMATCHED).count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "rte.pdf", "must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        (b"PK\x03\x04broken", "rte.xlsx", "not a valid .xlsx workbook"),
        (b"surname\r\nSmith\r\n", "rte.csv", "The file has no column for"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained_and_nothing_kept(
    supervisor_client, world, data, name, message
):
    response = upload(supervisor_client, data, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert NotificationImport.objects.count() == 0


def test_a_file_over_10_mb_is_refused(supervisor_client, world):
    big = b"po_number,notification_type,date_created,notification_date\r\n" + b"x" * (
        11 * 1024 * 1024
    )

    response = upload(supervisor_client, big)

    assert "it must be smaller than 10 MB" in response.content.decode()
    assert NotificationImport.objects.count() == 0


def applied_file(world, user, *rows):
    return apply_import(
        preview_file(
            data=notification_csv(*rows),
            file_name="rte.csv",
            mapping=world.mapping,
            uploaded_by=user,
        ),
        applied_by=user,
    )


def test_rows_of_participants_outside_the_users_teams_are_never_shown(client, world, north):
    south = TeamFactory(name="South")
    participant_with_milestones(world, po_number="PO1", team=north, last_name="Northman")
    participant_with_milestones(world, po_number="PO2", team=south, last_name="Southman")
    hidden = participant_with_milestones(
        world, nino="CE123456A", team=south, last_name="Hidden", date_of_birth="1980-01-02"
    )
    user = north_supervisor(north)
    notification_import = applied_file(
        world,
        user,
        notification(po_number="PO1"),
        notification(po_number="PO2"),
        notification(po_number="PO3", surname="Hidden", dob="1980-01-02"),
    )
    client.force_login(user)

    detail = client.get(
        reverse("reconciliation:import_detail", kwargs={"pk": notification_import.pk})
    ).content.decode()
    queue = client.get(reverse("reconciliation:queue")).content.decode()
    export = b"".join(client.get(reverse("reconciliation:queue_export")).streaming_content)

    assert "Northman" in detail
    assert "Southman" not in detail and 'data-line="3"' not in detail
    assert 'data-line="4"' in detail  # unmatched: no participant, no team
    # The row's own cells are DWP's; the proposed participant is never named.
    assert "same surname and date of birth" in queue
    assert hidden.reference not in detail and hidden.reference not in queue
    assert hidden.reference.encode() not in export and b"PO3" in export


def test_linking_an_unmatched_row_records_it_and_the_po_number(
    supervisor_client, supervisor, world
):
    participant = participant_with_milestones(world, last_name="Okafor", date_of_birth="1990-05-17")
    notification_import = applied_file(
        world, supervisor, notification(po_number="PO777", surname="Okafor", dob="1990-05-17")
    )
    row = notification_import.rows.get()
    url = reverse("reconciliation:resolve", kwargs={"pk": row.pk})

    page = supervisor_client.get(url).content.decode()
    assert f'value="{participant.reference}"' in page  # the proposal, to check and confirm
    assert DwpNotification.objects.count() == 0

    response = supervisor_client.post(url, {"action": "link", "reference": participant.reference})

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.resolution, row.participant) == (
        State.MATCHED_NEW,
        ImportedRow.Resolution.LINKED,
        participant,
    )
    assert participant.dwp_notifications.get().source_row == row
    assert participant.prap_reference.po_number == "PO777"
    assert supervisor_client.get(url).status_code == 404  # out of the queue


def test_a_link_that_conflicts_is_refused_and_the_row_stays(supervisor_client, supervisor, world):
    participant = participant_with_milestones(world)
    notification_import = applied_file(
        world, supervisor, notification(po_number="PO777", notification_date="2024-01-01")
    )
    row = notification_import.rows.get()

    response = supervisor_client.post(
        reverse("reconciliation:resolve", kwargs={"pk": row.pk}),
        {"action": "link", "reference": participant.reference},
    )

    assert "The notification date is before" in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.resolution) == (State.UNMATCHED, "")


def test_linking_to_a_reference_outside_the_users_teams_is_refused(client, world, north):
    south = TeamFactory(name="South")
    hidden = participant_with_milestones(world, team=south)
    user = north_supervisor(north)
    row = applied_file(world, user, notification(po_number="PO777")).rows.get()
    client.force_login(user)

    response = client.post(
        reverse("reconciliation:resolve", kwargs={"pk": row.pk}),
        {"action": "link", "reference": hidden.reference},
    )

    assert f"There is no participant with the reference “{hidden.reference}”" in (
        response.content.decode()
    )
    assert DwpNotification.objects.count() == 0


def test_dismissing_needs_a_reason(supervisor_client, supervisor, world):
    row = applied_file(world, supervisor, notification(po_number="PO777")).rows.get()
    url = reverse("reconciliation:resolve", kwargs={"pk": row.pk})

    refused = supervisor_client.post(url, {"action": "dismiss", "reason": "  "})
    assert "Give the reason for dismissing the row." in refused.content.decode()

    supervisor_client.post(url, {"action": "dismiss", "reason": "A test record"})
    row.refresh_from_db()
    assert (row.resolution, row.resolution_reason, row.resolved_by) == (
        ImportedRow.Resolution.DISMISSED,
        "A test record",
        supervisor,
    )
    queue = supervisor_client.get(reverse("reconciliation:queue")).content.decode()
    assert "0 open" in queue


def test_the_queue_filters_and_exports_excel_safe_csv(supervisor_client, supervisor, world):
    participant = participant_with_milestones(world, last_name="Okafor", date_of_birth="1990-05-17")
    applied_file(
        world,
        supervisor,
        notification(po_number="=HYPERLINK(1)", surname="Okafor", dob="1990-05-17"),
        notification(po_number="PO2"),
    )

    with_match = supervisor_client.get(reverse("reconciliation:queue"), {"proposal": "yes"})
    response = supervisor_client.get(reverse("reconciliation:queue_export"))
    text = b"".join(response.streaming_content).decode()

    assert "1 row found" in with_match.content.decode()
    assert text.startswith("\ufefffile,line,po_number")
    assert ",'=HYPERLINK(1)," in text
    assert participant.reference in text
    assert AccessLogEntry.objects.filter(participant=participant, kind="exported").count() == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_pages_queries_do_not_grow_with_rows(
    rows, supervisor_client, supervisor, world, django_assert_num_queries
):
    lines = []
    for n in range(rows):
        participant_with_milestones(world, po_number=f"PO{n}")
        lines.append(notification(po_number=f"PO{n}"))
        lines.append(notification(po_number=f"XX{n}"))
    notification_import = applied_file(world, supervisor, *lines)
    detail = reverse("reconciliation:import_detail", kwargs={"pk": notification_import.pk})

    # Session, user, permissions (two), the import, its rows.
    with django_assert_num_queries(6):
        supervisor_client.get(detail)
    # The user's teams, the rows and the two counts.
    with django_assert_num_queries(8):
        supervisor_client.get(reverse("reconciliation:queue"))

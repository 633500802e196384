"""Every matching rule and row state, as a table: what is on the tracker, one row of a
file, and the state (and message) the row lands in."""

import datetime

import pytest

from reconciliation.models import DwpNotification, ImportedRow, NotificationImport
from reconciliation.services import apply_import, dismiss_row, link_row, preview_file
from tests.factories import ParticipantFactory, ProgrammeFactory
from tests.reconciliation.helpers import (
    START,
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db
State = ImportedRow.State


def hold(world, participant, **values):
    """Apply a first file for the participant, so that a notification is held."""
    data = notification_csv(notification(nino=participant.nino, **values))
    user = world.user
    apply_import(
        preview_file(data=data, file_name="first.csv", mapping=world.mapping, uploaded_by=user),
        applied_by=user,
    )


def po_number(world):
    participant_with_milestones(world, po_number="PO100")
    return notification(po_number="PO100")


def nino_and_programme(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C")


def po_unknown_then_nino(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(po_number="PO999", nino="AB123456C")


def nino_on_another_programme(world):
    ParticipantFactory(nino="AB123456C", programme=ProgrammeFactory())
    return notification(nino="AB123456C")


def surname_and_birth_only_propose(world):
    participant_with_milestones(world, last_name="Okafor", date_of_birth=datetime.date(1990, 5, 17))
    return notification(nino="CE123456A", surname="okafor", dob="17/05/1990")


def nothing_matches(world):
    return notification(po_number="PO404")


def unknown_programme(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", programme="Work and Health Programme")


def another_providers_po(world):
    world.mapping.po_number_prefix = "PO"
    world.mapping.save()
    participant_with_milestones(world, po_number="PO100")
    return notification(po_number="XX100")


def po_with_another_nino(world):
    participant_with_milestones(world, po_number="PO100", nino="AB123456C")
    return notification(po_number="PO100", nino="CE123456A")


def no_projection(world):
    ParticipantFactory(nino="AB123456C", programme=world.programme, programme_start_date=START)
    return notification(nino="AB123456C")


def self_employed_without_projection(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", notification_type="Self-employed outcome")


def before_start(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", notification_date="2025-01-05")


def after_window_ended(world):
    participant_with_milestones(world, nino="AB123456C")
    ended = START + datetime.timedelta(days=world.programme.outcome_window_days + 1)
    return notification(
        nino="AB123456C", notification_date=ended.isoformat(), date_created=ended.isoformat()
    )


def type_not_mapped(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", notification_type="£1,000 earnings")


def already_held(world):
    participant = participant_with_milestones(world, nino="AB123456C")
    hold(world, participant)
    return notification(nino="AB123456C")


def created_later(world):
    participant = participant_with_milestones(world, nino="AB123456C")
    hold(world, participant)
    return notification(nino="AB123456C", date_created="2025-05-11", notification_date="2025-05-03")


def created_earlier(world):
    participant = participant_with_milestones(world, nino="AB123456C")
    hold(world, participant)
    return notification(nino="AB123456C", date_created="2025-05-09", notification_date="2025-04-01")


def same_created_other_details(world):
    participant = participant_with_milestones(world, nino="AB123456C")
    hold(world, participant)
    return notification(nino="AB123456C", notification_date="2025-04-20")


def unreadable_date(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", date_created="31/02/2025")


def no_keys(world):
    return notification()


def bad_nino(world):
    return notification(nino="not-a-nino")


def bad_amount(world):
    participant_with_milestones(world, nino="AB123456C")
    return notification(nino="AB123456C", amount_gbp="lots")


CASES = [
    (po_number, State.MATCHED_NEW, ""),
    (nino_and_programme, State.MATCHED_NEW, ""),
    (po_unknown_then_nino, State.MATCHED_NEW, ""),
    (nino_on_another_programme, State.UNMATCHED, "is on DWP Restart – CPA 4"),
    (surname_and_birth_only_propose, State.UNMATCHED, "same surname and date of birth"),
    (nothing_matches, State.UNMATCHED, "No participant has this PO number"),
    (unknown_programme, State.UNMATCHED, "no programme called “Work and Health Programme”"),
    (another_providers_po, State.CONFLICT, "for another provider"),
    (po_with_another_nino, State.CONFLICT, "National Insurance number is not the row's"),
    (no_projection, State.CONFLICT, "has no projection"),
    (self_employed_without_projection, State.CONFLICT, "has no projection"),
    (before_start, State.CONFLICT, "before"),
    (after_window_ended, State.CONFLICT, "outcome window ended"),
    (type_not_mapped, State.INVALID, "“£1,000 earnings” is not mapped"),
    (already_held, State.COMPLETE, "Already held"),
    (created_later, State.MATCHED_UPDATED, "Replaces DWP's notification created 10 May 2025"),
    (created_earlier, State.COMPLETE, "Older than the notification held"),
    (same_created_other_details, State.CONFLICT, "the same day with other details"),
    (unreadable_date, State.INVALID, "The date created “31/02/2025” is not a date"),
    (no_keys, State.INVALID, "neither a PO number nor a National Insurance number"),
    (bad_nino, State.INVALID, "is not a National Insurance number"),
    (bad_amount, State.INVALID, "is not a sum of money"),
]


@pytest.mark.parametrize(("setup", "state", "message"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_rule_gives_its_state(setup, state, message, supervisor):
    world = build_world()
    world.user = supervisor
    data = notification_csv(setup(world))

    notification_import = preview_file(
        data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor
    )

    (row,) = notification_import.rows.all()
    assert (row.state, message in row.message) == (state, True), row.message
    assert notification_import.counts[state] == 1


def test_a_surname_match_proposes_and_never_applies(supervisor):
    world = build_world()
    world.user = supervisor
    notification(nino="CE123456A")
    data = notification_csv(surname_and_birth_only_propose(world))

    applied = apply_import(
        preview_file(data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor),
        applied_by=supervisor,
    )

    (row,) = applied.rows.all()
    assert row.proposed_participant.last_name == "Okafor"
    assert row.participant is None
    assert DwpNotification.objects.count() == 0


def test_a_duplicate_row_in_one_file_is_reported_against_the_first(supervisor):
    world = build_world()
    participant_with_milestones(world, nino="AB123456C")
    data = notification_csv(notification(nino="AB123456C"), notification(nino="ab 12 34 56 c"))

    notification_import = preview_file(
        data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor
    )

    states = [(r.line, r.state, r.message) for r in notification_import.rows.all()]
    assert states == [
        (2, State.MATCHED_NEW, ""),
        (3, State.INVALID, "A duplicate of line 2: the same notification, created the same day."),
    ]


def test_a_file_carrying_a_milestones_history_keeps_the_latest_created(supervisor):
    world = build_world()
    participant = participant_with_milestones(world, nino="AB123456C")
    data = notification_csv(
        notification(nino="AB123456C", date_created="2025-05-12", notification_date="2025-05-04"),
        notification(nino="AB123456C", date_created="2025-05-10", notification_date="2025-05-02"),
        notification(nino="AB123456C", date_created="2025-05-14", notification_date="2025-05-06"),
    )

    applied = apply_import(
        preview_file(data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor),
        applied_by=supervisor,
    )

    assert [r.state for r in applied.rows.all()] == [
        State.MATCHED_NEW, State.COMPLETE, State.MATCHED_UPDATED,
    ]  # fmt: skip
    held = DwpNotification.objects.get(participant=participant)
    assert (held.date_created, held.notification_date) == (
        datetime.date(2025, 5, 14),
        datetime.date(2025, 5, 6),
    )


def test_the_created_date_rule_updates_only_when_later(supervisor):
    world = build_world()
    participant = participant_with_milestones(world, nino="AB123456C")
    world.user = supervisor
    hold(world, participant, date_created="2025-05-10", notification_date="2025-05-02")

    for created, notified, expected in (
        ("2025-05-09", "2025-04-01", datetime.date(2025, 5, 2)),  # older: kept
        ("2025-05-10", "2025-05-02", datetime.date(2025, 5, 2)),  # the same: kept
        ("2025-05-20", "2025-05-08", datetime.date(2025, 5, 8)),  # later: replaces
    ):
        data = notification_csv(
            notification(nino="AB123456C", date_created=created, notification_date=notified)
        )
        apply_import(
            preview_file(
                data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor
            ),
            applied_by=supervisor,
        )
        held = DwpNotification.objects.get(participant=participant)
        assert held.notification_date == expected


def test_importing_the_same_file_twice_changes_nothing(supervisor):
    world = build_world()
    first = participant_with_milestones(world, po_number="PO100")
    second = participant_with_milestones(world, nino="AB123456C")
    data = notification_csv(
        notification(
            po_number="PO100", amount_gbp="£1,000.00", payment_status="Paid", remittance_ref="R1"
        ),
        notification(nino="AB123456C", po_number="PO200", notification_type="Earnings outcome"),
        notification(po_number="PO404"),
    )

    once = apply_import(
        preview_file(data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor),
        applied_by=supervisor,
    )
    held = list(DwpNotification.objects.order_by("pk").values())
    twice = apply_import(
        preview_file(data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor),
        applied_by=supervisor,
    )

    assert once.count(State.MATCHED_NEW) == 2
    assert [r.state for r in twice.rows.all()] == [State.COMPLETE] * 3
    assert ImportedRow.objects.filter(state=State.UNMATCHED).count() == 1
    assert list(DwpNotification.objects.order_by("pk").values()) == held
    assert once.sha256 == twice.sha256
    # The NINO match taught the tracker the participant's PO number.
    assert second.prap_reference.po_number == "PO200"
    assert first.dwp_notifications.get().remittance_reference == "R1"


def apply(world, data: bytes, file_name: str) -> NotificationImport:
    user = world.user
    return apply_import(
        preview_file(data=data, file_name=file_name, mapping=world.mapping, uploaded_by=user),
        applied_by=user,
    )


def test_a_row_an_earlier_file_left_waiting_is_not_queued_again(supervisor):
    """DWP's files repeat what they sent before: an unmatched row or a conflict already
    waiting from an applied file is Complete the next time, and says where it waits."""
    world = build_world()
    world.user = supervisor
    participant_with_milestones(world, nino="AB123456C")
    unmatched = notification(po_number="PO404")
    conflict = notification(nino="AB123456C", notification_date="2025-01-05")  # before start
    apply(world, notification_csv(unmatched, conflict), "october.csv")

    november = apply(world, notification_csv(unmatched, conflict), "november.csv")

    assert [(r.state, r.message) for r in november.rows.all()] == [
        (
            State.COMPLETE,
            "Already brought by october.csv (line 2), which is waiting in the unmatched "
            "queue: nothing changes.",
        ),
        (
            State.COMPLETE,
            "Already brought by october.csv (line 3), which is waiting on the conflicts "
            "worklist: nothing changes.",
        ),
    ]
    assert ImportedRow.objects.filter(state__in=[State.UNMATCHED, State.CONFLICT]).count() == 2


def test_a_row_dealt_with_by_hand_stays_dealt_with(supervisor):
    world = build_world()
    world.user = supervisor
    participant = participant_with_milestones(world, nino="AB123456C")
    dismissed, linked = notification(po_number="PO404"), notification(po_number="PO405")
    october = apply(world, notification_csv(dismissed, linked), "october.csv")
    first, second = october.rows.all()
    dismiss_row(first, reason="A test record in PRaP", dismissed_by=supervisor)
    link_row(second, participant=participant, linked_by=supervisor)

    november = apply(world, notification_csv(dismissed, linked), "november.csv")

    assert [(r.state, r.message) for r in november.rows.all()] == [
        (
            State.COMPLETE,
            "Already brought by october.csv (line 2), and closed by hand: nothing changes.",
        ),
        (State.COMPLETE, "Already held: nothing changes."),  # linked: PO405 is remembered
    ]


def test_a_row_that_matches_now_is_applied_though_an_earlier_file_left_it_waiting(supervisor):
    world = build_world()
    world.user = supervisor
    row = notification(po_number="PO100")
    apply(world, notification_csv(row), "october.csv")
    participant_with_milestones(world, po_number="PO100")

    november = apply(world, notification_csv(row), "november.csv")

    assert [r.state for r in november.rows.all()] == [State.MATCHED_NEW]


def test_previewing_applies_nothing(supervisor):
    world = build_world()
    participant_with_milestones(world, po_number="PO100")

    notification_import = preview_file(
        data=notification_csv(notification(po_number="PO100")),
        file_name="dwp.csv",
        mapping=world.mapping,
        uploaded_by=supervisor,
    )

    assert notification_import.status == NotificationImport.Status.PREVIEWED
    assert notification_import.count(State.MATCHED_NEW) == 1
    assert DwpNotification.objects.count() == 0


def test_applying_matches_again_against_what_is_held_now(supervisor):
    world = build_world()
    participant = participant_with_milestones(world, nino="AB123456C")
    data = notification_csv(notification(nino="AB123456C"))
    first = preview_file(
        data=data, file_name="a.csv", mapping=world.mapping, uploaded_by=supervisor
    )
    second = preview_file(
        data=data, file_name="b.csv", mapping=world.mapping, uploaded_by=supervisor
    )

    apply_import(first, applied_by=supervisor)
    apply_import(second, applied_by=supervisor)

    assert second.count(State.COMPLETE) == 1
    assert DwpNotification.objects.get(participant=participant).source_import == first


@pytest.mark.parametrize("rows", [1, 3])
def test_matching_queries_do_not_grow_with_rows(rows, supervisor, django_assert_num_queries):
    world = build_world()
    lines = []
    for n in range(rows):
        participant_with_milestones(world, po_number=f"PO{n}")
        lines.append(notification(po_number=f"PO{n}"))
    data = notification_csv(*lines)
    preview = preview_file(
        data=data, file_name="dwp.csv", mapping=world.mapping, uploaded_by=supervisor
    )

    # Lock; the mapping; programmes, types, PO numbers, NINOs, births, milestones, held;
    # delete and insert the rows; the held again, their inserts, the PO numbers known;
    # the import's update and refresh; the transaction's savepoints.
    with django_assert_num_queries(18):
        apply_import(preview, applied_by=supervisor)

"""The DWP worklists: late, missing, unknown employment and conflicts, each scoped to
the user's teams, filtered, exported, and agreeing with the participant page's flags."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from freezegun import freeze_time

from milestones.models import ParticipantMilestone
from reconciliation import worklists
from reconciliation.models import ImportedRow
from reconciliation.services import apply_import, preview_file
from reconciliation.templatetags.reconciliation import comparisons
from tests.factories import TeamFactory, TrackerFactory, UserFactory
from tests.reconciliation.helpers import (
    build_world,
    notification,
    notification_csv,
    participant_with_milestones,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 9, 1)


def scenario(world, user, team, tag: str):
    """In the team: one late, one missing, one unknown employment, one conflict."""
    late = participant_with_milestones(
        world, po_number=f"L{tag}", team=team, last_name=f"Late{tag}"
    )
    TrackerFactory(participant=late)
    unknown = participant_with_milestones(
        world, po_number=f"U{tag}", team=team, last_name=f"Unknown{tag}"
    )
    missing = participant_with_milestones(world, team=team, last_name=f"Missing{tag}")
    ParticipantMilestone.objects.filter(
        participant=missing, financial_milestone=world.first
    ).update(status="achieved", projected_date=TODAY - datetime.timedelta(days=61))
    ParticipantMilestone.objects.filter(participant=late, financial_milestone=world.first).update(
        projected_date=datetime.date(2025, 3, 1)
    )
    conflict = participant_with_milestones(
        world, po_number=f"C{tag}", team=team, last_name=f"Conflict{tag}"
    )
    apply_import(
        preview_file(
            data=notification_csv(
                # 8 weeks and a day after 1 March.
                notification(po_number=f"L{tag}", notification_date="2025-04-27"),
                notification(po_number=f"U{tag}", notification_date="2025-05-02"),
                notification(po_number=f"C{tag}", notification_date="2024-12-01"),
            ),
            file_name=f"rte-{tag}.csv",
            mapping=world.mapping,
            uploaded_by=user,
        ),
        applied_by=user,
    )
    return {"late": late, "unknown-employment": unknown, "missing": missing, "conflicts": conflict}


@pytest.fixture
def both_teams(supervisor):
    world = build_world()
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    return (
        world,
        scenario(world, supervisor, north, "N"),
        scenario(world, supervisor, south, "S"),
        north,
    )


@freeze_time(TODAY)
@pytest.mark.parametrize("slug", list(worklists.WORKLISTS))
def test_each_worklist_holds_its_case_and_only_the_users_teams(slug, client, both_teams):
    """For a North Compliance officer: the worklists, not the files."""
    _, north_cases, south_cases, north = both_teams
    user = UserFactory(username="north.compliance", teams=[north])
    user.groups.add(Group.objects.get(name="Compliance officer"))
    client.force_login(user)

    page = client.get(reverse("reconciliation:worklist"), {"list": slug}).content.decode()
    export = b"".join(
        client.get(reverse("reconciliation:worklist_export"), {"list": slug}).streaming_content
    ).decode()

    assert "1 milestone found" in page
    assert north_cases[slug].reference in page and north_cases[slug].reference in export
    for case in south_cases.values():
        assert case.reference not in page and case.reference not in export
    others = [p for s, p in north_cases.items() if s != slug]
    assert all(other.reference not in export for other in others)
    assert export.startswith("\ufeffparticipant_reference,")


@freeze_time(TODAY)
def test_the_worklists_agree_with_the_participant_pages_flags(supervisor, both_teams):
    _, north_cases, _, _ = both_teams
    flag_of = {"late": "late", "missing": "missing", "unknown-employment": "unknown_employment"}

    for slug, flag in flag_of.items():
        participant = north_cases[slug]
        flagged = {
            f
            for row in comparisons(participant, participant.milestones.all(), today=TODAY)
            for f in row["comparison"].flags
        }
        listed = worklists.entries(slug, supervisor, today=TODAY).filter(participant=participant)
        assert flag in flagged and listed.exists(), slug


@freeze_time(TODAY)
def test_a_worklist_filters_by_team(supervisor_client, both_teams):
    _, north_cases, south_cases, north = both_teams

    page = supervisor_client.get(
        reverse("reconciliation:worklist"), {"list": "late", "team": north.pk}
    ).content.decode()

    assert north_cases["late"].reference in page
    assert south_cases["late"].reference not in page


@freeze_time(TODAY)
@pytest.mark.parametrize("teams", [1, 3])
def test_worklist_queries_do_not_grow_with_rows(
    teams, supervisor_client, supervisor, django_assert_num_queries
):
    world = build_world()
    for n in range(teams):
        scenario(world, supervisor, TeamFactory(name=f"Team {n}"), str(n))

    # Session, user, permissions (2), the page, the four tabs' counts, the programme and
    # team choices, the header's teams.
    with django_assert_num_queries(11):
        supervisor_client.get(reverse("reconciliation:worklist"), {"list": "late"})


def test_a_compliance_officer_reaches_the_worklists_from_the_menu_but_not_the_files(
    client, compliance
):
    client.force_login(compliance)

    page = client.get(reverse("reconciliation:worklist")).content.decode()

    assert '<a href="/dwp-notifications/worklists/" aria-current="page">DWP worklists</a>' in page
    assert "DWP notifications</a>" not in page
    assert client.get(reverse("reconciliation:imports")).status_code == 403
    assert client.get(reverse("reconciliation:queue")).status_code == 403


def conflict_row_of(participant) -> ImportedRow:
    return ImportedRow.objects.get(state=ImportedRow.State.CONFLICT, participant=participant)


@freeze_time(TODAY)
def test_a_supervisor_closes_a_conflict_with_what_was_done_and_it_leaves_the_list(
    supervisor_client, supervisor, both_teams
):
    _, north_cases, _, _ = both_teams
    row = conflict_row_of(north_cases["conflicts"])
    listed = supervisor_client.get(reverse("reconciliation:worklist"), {"list": "conflicts"})
    url = reverse("reconciliation:resolve_conflict", args=[row.pk])
    assert f'href="{url}"' in listed.content.decode()

    response = supervisor_client.post(url, {"reason": "Start date corrected in PRaP."})

    assert response["Location"] == reverse("reconciliation:worklist") + "?list=conflicts"
    row.refresh_from_db()
    assert (row.resolution, row.resolution_reason, row.resolved_by) == (
        ImportedRow.Resolution.DISMISSED, "Start date corrected in PRaP.", supervisor,
    )  # fmt: skip
    assert row not in worklists.conflicts(supervisor)
    assert worklists.counts(supervisor, today=TODAY)["conflicts"] == 1  # the South one


def test_closing_a_conflict_needs_what_was_done(supervisor_client, both_teams):
    _, north_cases, _, _ = both_teams
    row = conflict_row_of(north_cases["conflicts"])

    response = supervisor_client.post(
        reverse("reconciliation:resolve_conflict", args=[row.pk]), {"reason": "  "}
    )

    assert response.status_code == 200
    assert "Say what was done about the conflict." in response.content.decode()
    row.refresh_from_db()
    assert row.resolution == ""


def test_a_conflict_of_another_team_or_closed_already_is_not_found(client, both_teams):
    _, north_cases, south_cases, north = both_teams
    user = UserFactory(username="north.supervisor", teams=[north])
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["use_front_end", "import_notifications"])
    )
    client.force_login(user)
    closed = conflict_row_of(north_cases["conflicts"])
    ImportedRow.objects.filter(pk=closed.pk).update(resolution=ImportedRow.Resolution.DISMISSED)

    for row in (conflict_row_of(south_cases["conflicts"]), closed):
        response = client.get(reverse("reconciliation:resolve_conflict", args=[row.pk]))
        assert response.status_code == 404

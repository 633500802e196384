"""The Milestones page, its CSV export, claims and the forecast (milestones.views.milestones)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import timezone

from common.pagination import encode_cursor
from jobs.models import Job
from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from participants.models import AccessLogEntry
from tests.common.paging import page_link
from tests.factories import (
    OrganisationFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
    TrackerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

LIST_URL = reverse("milestones:list")
EXPORT_URL = reverse("milestones:export")
FORECAST_URL = reverse("milestones:forecast")

Status = ParticipantMilestone.Status
ClaimStatus = ParticipantMilestone.ClaimStatus


@pytest.fixture
def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def user_with(*codenames: str, teams):
    """A member of staff of the front end with exactly these permissions, in these teams
    only."""
    user = UserFactory(teams=teams)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=[*codenames, "use_front_end"])
    )
    return user


def time_values(page: str, section_id: str) -> list[str]:
    """The ``<time datetime>`` values inside the element with that id."""
    section = page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<time datetime="([0-9-]+)">', section)


def export(client, data=None):
    """Ask for the export as the Export CSV button does, let the job run (the tests'
    ImmediateBackend runs it once the request's transaction commits), and download it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(EXPORT_URL, data or {})
    assert started.status_code == 302, started
    job = resolve(started.url).kwargs["pk"]
    return client.get(reverse("jobs:download", args=[job]))


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def listed(response) -> list[tuple[str, str]]:
    return [(m.participant.last_name, m.name) for m in response.context["page"].rows]


# The same dates on every screen


def test_projected_dates_are_the_same_on_every_screen(supervisor_client, restart, north):
    participant = ParticipantFactory(programme=restart, team=north)
    employer = OrganisationFactory(status="confirmed")
    create_url = reverse("milestones:tracker_create", args=[participant.pk])
    for job in [
        {"start_date": "2025-01-06", "end_date": "2025-02-28", "weekly_hours": "16", "hourly_rate": "11.44"},
        {"start_date": "2025-03-10", "end_date": "", "weekly_hours": "30", "hourly_rate": "12.21"},
    ]:  # fmt: skip
        token = supervisor_client.get(create_url).context["form"]["submission_token"].value()
        supervisor_client.post(
            create_url,
            {"type": "job", "status": "new", "description": "Kitchen porter"}
            | {"organisation": employer.pk, "submission_token": token}
            | job,
        )

    trackers = supervisor_client.get(reverse("trackers:list", args=[participant.pk]))
    profile = supervisor_client.get(reverse("participants:detail", args=[participant.pk]))
    milestones = supervisor_client.get(LIST_URL, {"when": "any"})
    export_ = export(supervisor_client, {"when": "any"})

    expected = ["2025-02-13", "2025-05-12"]
    assert time_values(trackers.content.decode(), "participant-milestones") == expected
    assert time_values(profile.content.decode(), "participant-milestones") == expected
    assert time_values(milestones.content.decode(), "milestone-results") == expected
    header, *rows = csv_rows(export_)
    assert [row[header.index("Projected date")] for row in rows] == expected


def test_participant_milestones_panel_lists_not_reachable_last(supervisor_client, restart, north):
    participant = ParticipantFactory(programme=restart, team=north)
    TrackerFactory(
        participant=participant,
        start_date=datetime.date(2025, 6, 2),
        end_date=datetime.date(2025, 6, 30),
    )
    recalculate_participant(participant)

    response = supervisor_client.get(reverse("participants:detail", args=[participant.pk]))

    panel = response.content.decode().split('id="participant-milestones"')[1]
    assert re.findall(r"<tr>\s*<td>([^<]+)</td>", panel) == ["First pay", "Job outcome"]


# Milestones page


def test_milestone_list_opens_on_what_is_coming_up_soonest_first(supervisor_client):
    ParticipantMilestoneFactory(participant__last_name="Later", projected_date=days(40))
    ParticipantMilestoneFactory(
        participant__last_name="Never", projected_date=None, status=Status.NOT_REACHABLE
    )
    ParticipantMilestoneFactory(participant__last_name="Sooner", projected_date=days(5))
    ParticipantMilestoneFactory(
        participant__last_name="Done", projected_date=days(-10), status=Status.ACHIEVED
    )

    response = supervisor_client.get(LIST_URL)
    reached = supervisor_client.get(LIST_URL, {"when": "reached"})
    every = supervisor_client.get(LIST_URL, {"when": "any"})

    assert [name for name, _ in listed(response)] == ["Sooner", "Later", "Never"]
    assert "Not reachable" in response.content.decode()
    assert [name for name, _ in listed(reached)] == ["Done"]
    assert [name for name, _ in listed(every)] == ["Done", "Sooner", "Later", "Never"]


@pytest.fixture
def mixed(north, south):
    """Milestones that differ in one way each from the "Plain" one."""
    other = RestartProgrammeFactory(name="Work and Health Programme")
    return [
        ParticipantMilestoneFactory(participant__last_name="Plain", participant__team=north),
        ParticipantMilestoneFactory(
            participant__last_name="Achieved",
            participant__team=north,
            projected_date=days(-3),
            status=Status.ACHIEVED,
        ),
        ParticipantMilestoneFactory(
            participant__last_name="Paid",
            participant__team=north,
            projected_date=days(-20),
            status=Status.ACHIEVED,
            claim_status=ClaimStatus.PAID,
        ),
        ParticipantMilestoneFactory(
            participant__last_name="Other programme",
            participant__team=north,
            participant__programme=other,
        ),
        ParticipantMilestoneFactory(participant__last_name="South", participant__team=south),
        ParticipantMilestoneFactory(
            participant__last_name="Soon", participant__team=north, projected_date=days(30)
        ),
        ParticipantMilestoneFactory(
            participant__last_name="Just after", participant__team=north, projected_date=days(31)
        ),
    ]


EVERYONE = ["Paid", "Achieved", "Soon", "Just after", "Plain", "Other programme", "South"]
UPCOMING = EVERYONE[2:]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, UPCOMING),
        ({"when": "any"}, EVERYONE),
        ({"when": "reached"}, ["Achieved", "Paid"]),
        # Achieved and claimed milestones are reached: the latest first.
        ({"status": "achieved"}, ["Achieved", "Paid"]),
        ({"claim_status": "paid"}, ["Paid"]),
        ({"status": "achieved", "claim_status": "not_claimed"}, ["Achieved"]),
        ({"programme": "programme"}, ["Other programme"]),
        ({"team": "south"}, ["South"]),
        ({"due_within": "30"}, ["Soon"]),
        ({"due_within": "31"}, ["Soon", "Just after"]),
        ({"due_within": "-1"}, UPCOMING),
        ({"when": "tomorrow"}, UPCOMING),
    ],
)
def test_milestone_list_filters(supervisor_client, mixed, south, query, expected):
    ids = {"programme": mixed[3].participant.programme_id, "south": south.pk}
    query = {key: ids.get(value, value) for key, value in query.items()}

    response = supervisor_client.get(LIST_URL, query)

    assert [name for name, _ in listed(response)] == expected


def test_milestone_list_shows_only_the_users_teams(administrator_client, mixed, south):
    response = administrator_client.get(LIST_URL, {"team": south.pk, "when": "any"})

    assert [name for name, _ in listed(response)] == EVERYONE[:-1]
    assert [team.name for team in response.context["form"].fields["team"].queryset] == ["North"]
    assert "South" not in response.content.decode().split('id="milestone-results"')[1]


def test_milestone_list_htmx_returns_only_the_results(supervisor_client, mixed):
    response = supervisor_client.get(
        LIST_URL, {"status": "achieved"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="milestone-results"')
    assert body.rstrip().endswith("</section>")
    assert "<search>" not in body
    assert [name for name, _ in listed(response)] == ["Achieved", "Paid"]


@pytest.mark.parametrize("rows", [1, 3])
def test_milestone_list_query_count_is_constant(
    administrator_client, north, rows, django_assert_num_queries
):
    ParticipantMilestoneFactory.create_batch(rows, participant__team=north)

    # session, user, permissions (2), team ids, page rows (dated, then undated), form
    # choices (2), header teams
    with django_assert_num_queries(10):
        response = administrator_client.get(LIST_URL)

    assert len(response.context["page"].rows) == rows


def test_milestone_list_links_claims_and_export_for_a_supervisor_only(
    client, supervisor, administrator, north
):
    milestone = ParticipantMilestoneFactory(participant__team=north)
    claim_url = reverse("milestones:claim", args=[milestone.pk])

    client.force_login(supervisor)
    as_supervisor = client.get(LIST_URL, {"status": "projected"}).content.decode()
    client.force_login(administrator)
    as_administrator = client.get(LIST_URL).content.decode()

    assert f'href="{claim_url}"' in as_supervisor
    assert f'action="{EXPORT_URL}"' in as_supervisor
    assert '<input type="hidden" name="status" value="projected">' in as_supervisor
    assert claim_url not in as_administrator
    assert EXPORT_URL not in as_administrator


@pytest.mark.parametrize("url", [LIST_URL, FORECAST_URL, reverse("milestones:programme_list")])
def test_milestone_pages_reject_post(supervisor_client, url):
    milestone = ParticipantMilestoneFactory()

    response = supervisor_client.post(url, {"claim_status": "paid"})

    assert (response.status_code, response["Allow"]) == (405, "GET")
    milestone.refresh_from_db()
    assert milestone.claim_status == ClaimStatus.NOT_CLAIMED


# CSV export


def test_milestone_export_writes_the_rows_as_csv(supervisor_client, north, today):
    participant = ParticipantFactory(
        reference="RS000042", first_name="Priya", last_name="Shah", team=north,
        programme=RestartProgrammeFactory(),
    )  # fmt: skip
    ParticipantMilestoneFactory(
        participant=participant,
        name="Job outcome",
        amount=Decimal("5079.36"),
        earned_to_date=Decimal("5120.10"),
        projected_date=datetime.date(2025, 10, 25),
        weeks_left=0,
        status=Status.ACHIEVED,
        claim_status=ClaimStatus.PAID,
        paid_date=datetime.date(2025, 11, 20),
        payment_reference="DWP-123",
    )
    ParticipantMilestoneFactory(
        participant=participant,
        kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT,
        name="Self-employment (26 weeks)",
        amount=None,
        projected_date=None,
        weeks_left=None,
        status=Status.NOT_REACHABLE,
    )

    response = export(supervisor_client, {"when": "any"})

    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="milestones-{today:%Y-%m-%d}.csv"'
    )
    assert list(csv.reader(io.StringIO(content.decode().removeprefix("\ufeff")))) == [
        ["Participant reference", "Participant", "Programme", "Team", "Milestone", "Amount (£)",
         "Earned so far (£)", "Projected date", "Weeks left", "Status", "Claim status",
         "Paid date", "Payment reference"],
        ["RS000042", "Priya Shah", "DWP Restart – CPA 5", "North", "Job outcome", "5079.36",
         "5120.10", "2025-10-25", "0", "Achieved", "Paid", "2025-11-20", "DWP-123"],
        ["RS000042", "Priya Shah", "DWP Restart – CPA 5", "North", "Self-employment (26 weeks)",
         "", "0.00", "", "", "Not reachable", "Not claimed", "", ""],
    ]  # fmt: skip


def test_milestone_export_neutralises_formulas(supervisor_client):
    for name in ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)"]:
        ParticipantMilestoneFactory(participant__first_name=name, participant__last_name="Smith")

    response = export(supervisor_client)

    header, *rows = csv_rows(response)
    assert sorted(row[header.index("Participant")] for row in rows) == sorted(
        ['\'=HYPERLINK("x") Smith', "'+1 Smith", "'-2 Smith", "'@SUM(A1) Smith"]
    )


def test_milestone_export_applies_the_filters(supervisor_client, mixed):
    response = export(supervisor_client, {"status": "achieved"})

    header, *rows = csv_rows(response)
    assert [row[header.index("Participant")] for row in rows] == ["Alex Achieved", "Alex Paid"]


def test_milestone_export_shows_only_the_users_teams(client, mixed, north):
    client.force_login(user_with("view_participant", "export_milestones", teams=[north]))

    response = export(client, {"when": "any"})

    header, *rows = csv_rows(response)
    assert {row[header.index("Team")] for row in rows} == {"North"}
    assert len(rows) == 6


@pytest.mark.parametrize("user", ["administrator", "compliance"])
def test_milestone_export_is_forbidden_without_the_permission(client, request, user):
    client.force_login(request.getfixturevalue(user))

    ParticipantMilestoneFactory(participant__last_name="Exported")

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(EXPORT_URL)

    assert response.status_code == 403
    assert "Exported" not in response.content.decode()
    assert not Job.objects.exists()


def test_milestone_export_by_get_is_refused_and_starts_nothing(supervisor_client):
    response = supervisor_client.get(EXPORT_URL)

    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert not Job.objects.exists()


def test_milestone_export_starts_a_job_with_the_filters_and_shows_its_page(
    supervisor_client, supervisor
):
    response = supervisor_client.post(EXPORT_URL, {"status": "achieved", "when": "", "x": "1"})

    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.started_by, job.status) == ("milestones_export", supervisor, "queued")
    assert job.parameters == {"filters": {"status": "achieved"}, "path": EXPORT_URL}


def test_milestone_export_records_the_row_count_and_logs_each_participant(
    supervisor_client, supervisor, north
):
    first, second = ParticipantFactory.create_batch(2, team=north)
    for participant in (first, first, second):
        ParticipantMilestoneFactory(participant=participant)

    export(supervisor_client, {"when": "any"})

    job = Job.objects.get()
    assert (job.status, job.row_count, job.progress_done) == ("done", 3, 3)
    assert sorted(
        AccessLogEntry.objects.values_list("participant_id", "user", "kind", "url_name", "path")
    ) == sorted(
        (p.pk, supervisor.pk, "exported", "milestones:export", EXPORT_URL) for p in (first, second)
    )


def test_milestone_list_after_an_htmx_filter_updates_the_export_filters(supervisor_client):
    response = supervisor_client.get(
        LIST_URL, {"status": "achieved"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert 'id="export-form" method="post"' in page
    assert 'hx-swap-oob="true"' in page
    assert '<input type="hidden" name="status" value="achieved">' in page


# Claims


def claim_url(milestone) -> str:
    return reverse("milestones:claim", args=[milestone.pk])


def test_milestone_claim_saved_unchanged_records_nothing_and_says_so(supervisor_client):
    milestone = ParticipantMilestoneFactory(status=Status.ACHIEVED, projected_date=days(-7))

    response = supervisor_client.post(
        claim_url(milestone),
        {"claim_status": "not_claimed", "paid_date": "", "payment_reference": ""},
        follow=True,
    )

    assert "Nothing changed, so nothing was recorded." in response.content.decode()
    assert "Claim recorded" not in response.content.decode()
    assert milestone.history.count() == 1


def test_milestone_claim_records_payment_with_history(supervisor_client, supervisor):
    milestone = ParticipantMilestoneFactory(status=Status.ACHIEVED, projected_date=days(-7))

    response = supervisor_client.post(
        claim_url(milestone),
        {"claim_status": "paid", "paid_date": "2025-11-20", "payment_reference": "DWP-123"},
    )

    milestone.refresh_from_db()
    assert response["Location"] == LIST_URL
    assert (milestone.claim_status, milestone.paid_date, milestone.payment_reference) == (
        ClaimStatus.PAID,
        datetime.date(2025, 11, 20),
        "DWP-123",
    )
    latest = milestone.history.first()
    assert (latest.history_type, latest.history_user, latest.claim_status) == (
        "~",
        supervisor,
        ClaimStatus.PAID,
    )


def test_milestone_claim_paid_needs_the_date(supervisor_client):
    milestone = ParticipantMilestoneFactory()

    response = supervisor_client.post(
        claim_url(milestone), {"claim_status": "paid", "payment_reference": "DWP-123"}
    )

    milestone.refresh_from_db()
    assert response.context["form"].errors == {"paid_date": ["Enter the date it was paid."]}
    assert (milestone.claim_status, milestone.payment_reference) == (ClaimStatus.NOT_CLAIMED, "")
    assert "DWP-123" in response.content.decode()


def test_milestone_claim_is_forbidden_to_administrators(administrator_client, north):
    milestone = ParticipantMilestoneFactory(participant__team=north)

    response = administrator_client.post(claim_url(milestone), {"claim_status": "claimed"})

    milestone.refresh_from_db()
    assert response.status_code == 403
    assert milestone.claim_status == ClaimStatus.NOT_CLAIMED


def test_milestone_claim_outside_the_users_teams_is_404(client, north, south):
    client.force_login(user_with("view_participant", "change_claim", teams=[north]))
    theirs = ParticipantMilestoneFactory(participant__team=south)
    ours = ParticipantMilestoneFactory(participant__team=north)

    outside = client.post(claim_url(theirs), {"claim_status": "claimed"})
    inside = client.get(claim_url(ours))

    theirs.refresh_from_db()
    assert (outside.status_code, inside.status_code) == (404, 200)
    assert theirs.claim_status == ClaimStatus.NOT_CLAIMED


def test_milestone_claim_rejects_other_methods(supervisor_client):
    milestone = ParticipantMilestoneFactory()

    response = supervisor_client.put(claim_url(milestone), "claim_status=paid")

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    milestone.refresh_from_db()
    assert milestone.claim_status == ClaimStatus.NOT_CLAIMED


# Forecast


def test_forecast_counts_milestones_per_month_by_programme_and_team(
    supervisor_client, north, south, today
):
    first = today.replace(day=1)
    other = RestartProgrammeFactory(name="Work and Health Programme")
    in_three_months = first + relativedelta(months=3, days=14)
    for team, programme, day in [
        (north, None, today),
        (north, None, in_three_months),
        (north, None, in_three_months),
        (south, None, in_three_months),
        (north, other, in_three_months),
        (north, None, first + relativedelta(months=12)),  # beyond the 12 months
        (north, None, today - datetime.timedelta(days=1)),  # in the past
    ]:
        ParticipantMilestoneFactory(
            participant__team=team,
            participant__programme=programme or RestartProgrammeFactory(),
            projected_date=day,
        )
    ParticipantMilestoneFactory(projected_date=None, status=Status.NOT_REACHABLE)

    response = supervisor_client.get(FORECAST_URL)

    rows = [
        (row["month"], row["participant__programme__name"], row["participant__team__name"], row["count"])
        for row in response.context["rows"]
    ]  # fmt: skip
    assert rows == [
        (first, "DWP Restart – CPA 5", "North", 1),
        (first + relativedelta(months=3), "DWP Restart – CPA 5", "North", 2),
        (first + relativedelta(months=3), "DWP Restart – CPA 5", "South", 1),
        (first + relativedelta(months=3), "Work and Health Programme", "North", 1),
    ]
    bars = response.context["bars"]
    assert [bar.month for bar in bars] == [first + relativedelta(months=n) for n in range(12)]
    assert [bar.count for bar in bars] == [1, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]
    body = response.content.decode()
    assert '<svg viewBox="0 0 600 230" role="img"' in body
    # Every value label sits inside the drawing (the tallest bar's was cut off at y=6).
    assert min(bar.label_y for bar in bars) >= 20
    assert '<td class="numeric">£10,158.72</td>' in body  # two Job outcomes in one month
    assert "<caption>Milestones projected per month, by programme and team</caption>" in body


def test_forecast_shows_only_the_users_teams(administrator_client, north, south, today):
    ParticipantMilestoneFactory(participant__team=north, projected_date=today)
    ParticipantMilestoneFactory(participant__team=south, projected_date=today)

    response = administrator_client.get(FORECAST_URL)

    assert [row["participant__team__name"] for row in response.context["rows"]] == ["North"]


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_milestone_list_says_which_criteria_it_could_not_use(supervisor_client, headers):
    ParticipantMilestoneFactory(participant__last_name="Shown")

    response = supervisor_client.get(LIST_URL, {"due_within": "abc"}, headers=headers)

    results = response.content.decode().split('id="milestone-results"', 1)[1]
    assert "These were not used:" in results
    assert "Due within (days): Enter a number of days, like 30." in results
    assert [m.participant.last_name for m in response.context["page"].rows] == ["Shown"]


def test_milestone_list_pages_forward_and_back_by_cursor(
    administrator_client, north, today, settings
):
    settings.PAGE_SIZE = 2
    soon = today + datetime.timedelta(days=5)
    for reference, date in [("M1", soon), ("M2", soon), ("M3", soon), ("M4", None)]:
        ParticipantMilestoneFactory(
            participant__team=north, participant__reference=reference, projected_date=date
        )

    first = administrator_client.get(LIST_URL, {"status": ""})
    second = administrator_client.get(LIST_URL + page_link(first, "next"))
    back = administrator_client.get(LIST_URL + page_link(second, "prev"))

    def shown(response):
        return [m.participant.reference for m in response.context["page"].rows]

    assert (shown(first), shown(second), shown(back)) == (["M1", "M2"], ["M3", "M4"], ["M1", "M2"])
    assert page_link(first, "next").startswith("?status=&after=")
    assert (page_link(second, "next"), page_link(first, "prev")) == (None, None)
    assert "Page 2" in second.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_milestone_list_page_after_a_cursor_query_count_is_constant(
    administrator_client, north, today, rows, settings, django_assert_num_queries
):
    settings.PAGE_SIZE = 3
    ParticipantMilestoneFactory(participant__team=north, projected_date=today)
    first = ParticipantMilestone.objects.get()
    ParticipantMilestoneFactory.create_batch(rows, participant__team=north, projected_date=today)
    cursor = encode_cursor(2, [first.projected_date, first.pk])

    # the partial: session, user, permissions (2), team ids, rows (dated, then undated),
    # and the count (a page after another)
    with django_assert_num_queries(8):
        response = administrator_client.get(
            LIST_URL, {"after": cursor}, headers={"HX-Request": "true"}
        )

    assert len(response.context["page"].rows) == rows


@pytest.mark.parametrize(
    "token", ["x", encode_cursor(2, ["2026-02-30", 1]), encode_cursor(2, ["2026-03-02", "1; drop"])]
)
def test_milestone_list_tampered_cursor_is_the_first_page_said_so(
    administrator_client, north, token
):
    milestone = ParticipantMilestoneFactory(participant__team=north)

    response = administrator_client.get(LIST_URL, {"after": token})

    assert list(response.context["page"].rows) == [milestone]
    assert (
        "That page link could not be read, so this is the first page." in response.content.decode()
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_forecast_query_count_is_constant(
    supervisor_client, north, south, today, rows, django_assert_num_queries
):
    for number in range(rows):
        ParticipantMilestoneFactory(
            participant__team=[north, south][number % 2],
            participant__programme=RestartProgrammeFactory(name=f"Programme {number}"),
            projected_date=today + relativedelta(months=number),
        )

    # session, user, permissions, the grouped rows, their programmes' and teams' names,
    # header teams (a supervisor sees every team: no team ids to read)
    with django_assert_num_queries(7):
        response = supervisor_client.get(FORECAST_URL)

    assert [row["count"] for row in response.context["rows"]] == [1] * rows


def test_milestone_export_with_filters_logs_only_the_participants_exported(client, mixed, north):
    user = user_with("view_participant", "export_milestones", teams=[north])
    client.force_login(user)

    header, *rows = csv_rows(export(client, {"status": "achieved"}))

    exported = {row[header.index("Participant reference")] for row in rows}
    logged = set(
        AccessLogEntry.objects.filter(user=user, kind="exported").values_list(
            "participant__reference", flat=True
        )
    )
    assert logged == exported != set()

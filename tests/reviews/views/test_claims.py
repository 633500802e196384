"""The Ready to claim worklist, its CSV exports and marking Claimed (reviews.views.claims)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from milestones.models import ClaimAttempt, ParticipantMilestone
from reviews.claim_forms import NOT_READY
from reviews.models import ClaimExport
from tests.factories import (
    ClaimAttemptFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    RestartProgrammeFactory,
    SelfEmploymentMilestoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("reviews:ready_to_claim")
EXPORT_URL = reverse("reviews:claim_export")
MARK_URL = reverse("reviews:mark_claimed")

Status = ParticipantMilestone.Status
ClaimStatus = ParticipantMilestone.ClaimStatus

HEADER = [
    "Participant reference", "Participant", "NINO", "Programme", "Team", "Milestone",
    "Amount (£)", "Projected date", "Status", "Claim status",
]  # fmt: skip


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def verified(**fields) -> ParticipantMilestone:
    """A milestone compliance has verified and nobody has claimed."""
    return ParticipantMilestoneFactory(
        **{"status": Status.VERIFIED, "projected_date": days(-7), "weeks_left": 0} | fields
    )


def user_with(*codenames: str, teams):
    """A member of staff of the front end with exactly these permissions, in these teams
    only."""
    user = UserFactory(teams=teams)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=[*codenames, "use_front_end"])
    )
    return user


def download_url(export: ClaimExport) -> str:
    return reverse("reviews:claim_export_download", args=[export.pk])


def listed(response) -> list[str]:
    return [milestone.participant.last_name for milestone in response.context["page"].rows]


def results(response) -> str:
    return response.content.decode().split('id="claim-results"', 1)[1].split("</section>", 1)[0]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8").removeprefix("\ufeff"))))


def claim_statuses() -> dict[int, str]:
    return dict(ParticipantMilestone.objects.values_list("pk", "claim_status"))


@pytest.fixture
def mixed(north, south):
    """Ready milestones that differ in one way each from the "Plain" one."""
    other = RestartProgrammeFactory(name="Work and Health Programme")
    return {
        "plain": verified(participant__last_name="Plain", participant__team=north),
        "other programme": verified(
            participant__last_name="Other programme",
            participant__team=north,
            participant__programme=other,
        ),
        "south": verified(participant__last_name="South", participant__team=south),
        "recent": verified(
            participant__last_name="Recent", participant__team=north, projected_date=days(-1)
        ),
    }


# The list


def test_ready_to_claim_lists_verified_milestones_not_yet_claimed(supervisor_client):
    ready = verified(participant__last_name="Ready", amount=Decimal("5079.36"))
    verified(participant__last_name="Claimed", claim_status=ClaimStatus.CLAIMED)
    ParticipantMilestoneFactory(participant__last_name="Achieved", status=Status.ACHIEVED)

    response = supervisor_client.get(LIST_URL)

    assert listed(response) == ["Ready"]
    body = results(response)
    assert (
        f'<input type="checkbox" name="milestones" value="{ready.pk}" id="claim-{ready.pk}">'
        in body
    )
    assert (
        f'<label for="claim-{ready.pk}" class="visually-hidden">Select Alex Ready, Job outcome</label>'
        in body
    )
    assert '<td class="numeric">£5,079.36</td>' in body
    assert f'<form method="post" action="{MARK_URL}?page=1">' in body


def test_ready_to_claim_without_milestones_shows_the_empty_state(supervisor_client):
    ParticipantMilestoneFactory(status=Status.ACHIEVED)

    response = supervisor_client.get(LIST_URL)

    assert listed(response) == []
    assert '<p class="empty">No verified milestones are waiting to be claimed.</p>' in results(
        response
    )
    assert MARK_URL not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Plain", "Other programme", "South", "Recent"]),
        ({"programme": "other"}, ["Other programme"]),
        ({"team": "south"}, ["South"]),
        ({"projected_by": "two days ago"}, ["Plain", "Other programme", "South"]),
        ({"projected_by": "not a date"}, ["Plain", "Other programme", "South", "Recent"]),
    ],
)
def test_ready_to_claim_filters(supervisor_client, mixed, south, query, expected):
    values = {
        "other": mixed["other programme"].participant.programme_id,
        "south": south.pk,
        "two days ago": days(-2).isoformat(),
    }
    query = {key: values.get(value, value) for key, value in query.items()}

    response = supervisor_client.get(LIST_URL, query)

    assert listed(response) == expected


def test_ready_to_claim_shows_only_the_users_teams(client, mixed, north, south):
    client.force_login(user_with("change_claim", teams=[north]))

    response = client.get(LIST_URL, {"team": south.pk})

    assert listed(response) == ["Plain", "Other programme", "Recent"]
    assert [team.name for team in response.context["form"].fields["team"].queryset] == ["North"]
    assert "South" not in results(response)


def test_ready_to_claim_links_the_export_and_the_claim_with_the_filters(
    supervisor_client, mixed, north
):
    response = supervisor_client.get(LIST_URL, {"team": north.pk, "page": "1"})

    body = results(response)
    assert f'<form method="post" action="{EXPORT_URL}" class="claim-export">' in body
    assert f'<input type="hidden" name="team" value="{north.pk}">' in body
    assert f'<form method="post" action="{MARK_URL}?team={north.pk}&amp;page=1">' in body


def test_ready_to_claim_htmx_returns_only_the_results(supervisor_client, mixed, south):
    response = supervisor_client.get(LIST_URL, {"team": south.pk}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="claim-results"')
    assert body.rstrip().endswith("</section>")
    assert "<search>" not in body
    assert "Earlier exports" not in body
    assert listed(response) == ["South"]


def claim_by(response) -> dict[str, str]:
    """Each row's Claim by cell as text, by the participant's last name."""
    cells = re.findall(
        r'<tr>.*?<a href="/participants/\d+/">Alex (\w+)</a>.*?<td class="nowrap" data-claim-by>(.*?)</td>',
        results(response),
        re.S,
    )
    return {name: " ".join(re.sub(r"<[^>]+>", " ", cell).split()) for name, cell in cells}


def test_ready_to_claim_shows_when_self_employed_outcomes_must_be_claimed_by(supervisor_client):
    soon = SelfEmploymentMilestoneFactory(participant__last_name="Soon", projected_date=days(-10))
    SelfEmploymentMilestoneFactory(participant__last_name="Today", projected_date=days(-90))
    SelfEmploymentMilestoneFactory(participant__last_name="Late", projected_date=days(-92))
    verified(participant__last_name="Employed")

    response = supervisor_client.get(LIST_URL)

    def short(n: int) -> str:
        return f"{days(n).day} {days(n):%b %Y}"

    assert claim_by(response) == {
        "Late": f"{short(-2)} Overdue by 2 days",
        "Today": f"{short(0)} Today",
        "Employed": "—",
        "Soon": f"{short(80)} 80 days left",
    }
    claim_url = reverse("milestones:claim", args=[soon.pk])
    assert f'<a href="{claim_url}">Self-employment (26 weeks)</a>' in results(response)


@pytest.mark.parametrize("rows", [1, 3])
def test_ready_to_claim_query_count_is_constant_with_self_employed_rows(
    supervisor_client, rows, django_assert_num_queries
):
    for _ in range(rows):
        SelfEmploymentMilestoneFactory()

    # session, user, permissions (2), page rows, form choices (2), earlier exports
    with django_assert_num_queries(8):
        response = supervisor_client.get(LIST_URL)

    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_ready_to_claim_query_count_is_constant(supervisor_client, rows, django_assert_num_queries):
    verified_rows = [verified() for _ in range(rows)]
    for _ in range(rows):
        ClaimExport.objects.create(created_by=UserFactory(), row_count=1, content="")

    # session, user, permissions (2), page rows, form choices (2), earlier exports
    with django_assert_num_queries(8):
        response = supervisor_client.get(LIST_URL)

    assert [milestone.pk for milestone in response.context["page"].rows] == [
        milestone.pk for milestone in verified_rows
    ]
    assert len(response.context["exports"]) == rows


def test_ready_to_claim_lists_the_newest_20_exports_with_their_downloads(supervisor_client, north):
    member = UserFactory(first_name="Sam", last_name="Jones", teams=[north])
    exports = [
        ClaimExport.objects.create(created_by=member, row_count=n, content="") for n in range(21)
    ]

    response = supervisor_client.get(LIST_URL)

    assert list(response.context["exports"]) == exports[:0:-1]
    body = response.content.decode()
    assert f'href="{download_url(exports[20])}"' in body
    assert f'href="{download_url(exports[0])}"' not in body
    assert "<td>Sam Jones</td>" in body


def test_ready_to_claim_lists_only_the_users_own_exports(client, supervisor, north):
    member = user_with("change_claim", "export_milestones", teams=[north])
    ClaimExport.objects.create(created_by=supervisor, row_count=1, content="")
    own = ClaimExport.objects.create(created_by=member, row_count=1, content="")
    client.force_login(member)

    response = client.get(LIST_URL)

    assert list(response.context["exports"]) == [own]


@pytest.mark.parametrize("user", ["administrator", "compliance"])
def test_ready_to_claim_is_forbidden_without_the_permission(client, request, user, north):
    client.force_login(request.getfixturevalue(user))
    verified(participant__last_name="Hidden", participant__team=north)

    response = client.get(LIST_URL)

    assert response.status_code == 403
    assert "Hidden" not in response.content.decode()


# Marking Claimed


def test_mark_claimed_claims_the_selected_milestones(supervisor_client, supervisor, mixed, north):
    chosen = [mixed["plain"], mixed["recent"]]

    response = supervisor_client.post(
        f"{MARK_URL}?team={north.pk}", {"milestones": [m.pk for m in chosen]}, follow=True
    )

    assert response.redirect_chain == [(f"{LIST_URL}?team={north.pk}", 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Marked 2 milestones as Claimed."
    ]
    assert listed(response) == ["Other programme"]
    assert claim_statuses() == {
        mixed["plain"].pk: ClaimStatus.CLAIMED,
        mixed["other programme"].pk: ClaimStatus.NOT_CLAIMED,
        mixed["south"].pk: ClaimStatus.NOT_CLAIMED,
        mixed["recent"].pk: ClaimStatus.CLAIMED,
    }
    assert [m.history.first().history_user for m in chosen] == [supervisor, supervisor]


def test_mark_claimed_without_a_selection_shows_the_error(supervisor_client, mixed):
    response = supervisor_client.post(MARK_URL, {})

    assert response.status_code == 200
    assert response.context["mark_form"].errors == {
        "milestones": ["Select the milestones to mark as Claimed."]
    }
    assert '<a href="#claim-table">Select the milestones to mark as Claimed.</a>' in results(
        response
    )
    assert listed(response) == ["Plain", "Other programme", "South", "Recent"]
    assert set(claim_statuses().values()) == {ClaimStatus.NOT_CLAIMED}


def test_mark_claimed_returns_to_the_first_page_of_the_filtered_list(
    supervisor_client, mixed, north
):
    response = supervisor_client.post(
        f"{MARK_URL}?team={north.pk}&page=2", {"milestones": [mixed["plain"].pk]}
    )

    assert response["Location"] == f"{LIST_URL}?team={north.pk}"
    assert claim_statuses()[mixed["plain"].pk] == ClaimStatus.CLAIMED


def test_mark_claimed_refused_shows_the_page_it_was_posted_from(supervisor_client, settings, north):
    settings.PAGE_SIZE = 2
    rows = [verified(participant__team=north, projected_date=days(-n)) for n in (4, 3, 2, 1)]

    response = supervisor_client.post(f"{MARK_URL}?team={north.pk}&page=2", {})

    assert response.context["page"].rows == rows[2:]
    assert response.context["mark_form"].errors == {
        "milestones": ["Select the milestones to mark as Claimed."]
    }
    assert f'<a rel="prev" href="{LIST_URL}?team={north.pk}&amp;page=1">' in results(response)


@pytest.mark.parametrize("refused", ["claimed", "other team", "unknown", "not a number", "huge"])
def test_mark_claimed_refuses_milestones_not_ready_and_marks_nothing(client, north, south, refused):
    client.force_login(user_with("change_claim", teams=[north]))
    ready = verified(participant__team=north)
    ids = {
        "claimed": verified(participant__team=north, claim_status=ClaimStatus.CLAIMED).pk,
        "other team": verified(participant__team=south).pk,
        "unknown": 999_999,
        "not a number": "abc",
        "huge": "9" * 30,
    }
    before = claim_statuses()

    response = client.post(MARK_URL, {"milestones": [ready.pk, ids[refused]]})

    assert response.context["mark_form"].errors == {"milestones": [NOT_READY]}
    assert NOT_READY in response.content.decode()
    assert f'value="{ready.pk}" id="claim-{ready.pk}" checked>' in results(response)
    assert claim_statuses() == before
    assert ready.history.count() == 1


@pytest.mark.parametrize("user", ["administrator", "compliance"])
def test_mark_claimed_is_forbidden_without_the_permission(client, request, user, north):
    client.force_login(request.getfixturevalue(user))
    milestone = verified(participant__team=north)

    response = client.post(MARK_URL, {"milestones": [milestone.pk]})

    assert response.status_code == 403
    assert claim_statuses() == {milestone.pk: ClaimStatus.NOT_CLAIMED}


# Exports


def test_claim_export_records_and_sends_the_csv(supervisor_client, supervisor, north):
    participant = ParticipantFactory(
        reference="RS000042", first_name="Priya", last_name="Shah", nino="QQ123456C",
        team=north, programme=RestartProgrammeFactory(),
    )  # fmt: skip
    milestone = verified(
        participant=participant,
        name="Job outcome",
        amount=Decimal("5079.36"),
        projected_date=datetime.date(2025, 10, 25),
    )

    response = supervisor_client.post(EXPORT_URL, follow=True)

    export = ClaimExport.objects.get()
    assert (export.created_by, export.row_count, export.milestone_ids, export.filters) == (
        supervisor,
        1,
        [milestone.pk],
        {},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ready-to-claim-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert (
        response.content
        == (
            "\ufeffParticipant reference,Participant,NINO,Programme,Team,Milestone,Amount (£),"
            "Projected date,Status,Claim status\r\n"
            "RS000042,Priya Shah,QQ 12 34 56 C,DWP Restart – CPA 5,North,Job outcome,5079.36,"
            "2025-10-25,Verified,Not claimed\r\n"
        ).encode()
    )
    assert export.content.encode() == response.content


def test_claim_export_neutralises_formulas(supervisor_client):
    for name in ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]:
        verified(participant__first_name=name, participant__last_name="Smith")

    response = supervisor_client.post(EXPORT_URL, follow=True)

    header, *rows = csv_rows(response.content)
    assert sorted(row[header.index("Participant")] for row in rows) == sorted(
        ['\'=HYPERLINK("http://x") Smith', "'+1 Smith", "'-2 Smith", "'@SUM(A1) Smith"]
    )


def test_claim_export_applies_the_filters(supervisor_client, mixed, north):
    cutoff = days(-2).isoformat()
    programme = mixed["plain"].participant.programme_id

    response = supervisor_client.post(
        EXPORT_URL, {"programme": programme, "team": north.pk, "projected_by": cutoff}, follow=True
    )

    header, *rows = csv_rows(response.content)
    assert [row[header.index("Participant")] for row in rows] == ["Alex Plain"]
    export = ClaimExport.objects.get()
    assert (export.milestone_ids, export.filters) == (
        [mixed["plain"].pk],
        {"programme": programme, "team": north.pk, "projected_by": cutoff},
    )


def test_claim_export_shows_only_the_users_teams(client, mixed, north, south):
    member = user_with("export_milestones", teams=[north])
    client.force_login(member)

    response = client.post(EXPORT_URL, {"team": south.pk}, follow=True)

    header, *rows = csv_rows(response.content)
    assert header == HEADER
    assert [row[header.index("Team")] for row in rows] == ["North", "North", "North"]
    export = ClaimExport.objects.get()
    assert (export.created_by, export.filters, set(export.milestone_ids)) == (
        member,
        {},
        {mixed["plain"].pk, mixed["other programme"].pk, mixed["recent"].pk},
    )


@pytest.mark.parametrize("user", ["administrator", "compliance", "claims only"])
def test_claim_export_is_forbidden_without_the_permission(client, request, user, north):
    if user == "claims only":
        client.force_login(user_with("change_claim", teams=[north]))
    else:
        client.force_login(request.getfixturevalue(user))
    verified(participant__last_name="Exported", participant__team=north)

    response = client.post(EXPORT_URL)

    assert response.status_code == 403
    assert "text/csv" not in response["Content-Type"]
    assert "Exported" not in response.content.decode()
    assert ClaimExport.objects.count() == 0


def test_claim_export_download_returns_the_export_as_it_was(supervisor_client, north):
    milestone = verified(participant__last_name="Before", participant__team=north)
    exported = supervisor_client.post(EXPORT_URL, follow=True)
    export = ClaimExport.objects.get()
    milestone.participant.last_name = "After"
    milestone.participant.save()
    supervisor_client.post(MARK_URL, {"milestones": [milestone.pk]})

    response = supervisor_client.get(download_url(export))

    assert response.content == exported.content
    assert "Alex Before" in response.content.decode()
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        exported["Content-Type"],
        exported["Content-Disposition"],
    )
    assert ClaimExport.objects.count() == 1


def test_claim_export_download_of_another_users_export_is_404(client, supervisor, north):
    member = user_with("export_milestones", teams=[north])
    theirs = ClaimExport.objects.create(created_by=supervisor, row_count=0, content="theirs")
    own = ClaimExport.objects.create(created_by=member, row_count=0, content="own")
    client.force_login(member)

    outside = client.get(download_url(theirs))
    inside = client.get(download_url(own))

    assert (outside.status_code, inside.content) == (404, b"own")


def test_claim_export_download_by_a_user_of_every_team_any_export(supervisor_client, north):
    member = user_with("export_milestones", teams=[north])
    export = ClaimExport.objects.create(created_by=member, row_count=0, content="\ufeffRows,£\r\n")

    response = supervisor_client.get(download_url(export))

    assert response.content == "\ufeffRows,£\r\n".encode()


@pytest.mark.parametrize("user", ["administrator", "compliance"])
def test_claim_export_download_is_forbidden_without_the_permission(client, request, user):
    account = request.getfixturevalue(user)
    export = ClaimExport.objects.create(created_by=account, row_count=0, content="secret")
    client.force_login(account)

    response = client.get(download_url(export))

    assert response.status_code == 403
    assert b"secret" not in response.content


# Methods


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("post", LIST_URL, "GET"),
        ("get", EXPORT_URL, "POST"),
        ("post", "download", "GET"),
        ("get", MARK_URL, "POST"),
        ("put", MARK_URL, "POST"),
    ],
)
def test_claim_pages_reject_other_methods(supervisor_client, supervisor, method, url, allow):
    milestone = verified()
    export = ClaimExport.objects.create(created_by=supervisor, row_count=0, content="")
    url = download_url(export) if url == "download" else url

    response = getattr(supervisor_client, method)(url, {"milestones": [milestone.pk]})

    assert (response.status_code, response["Allow"]) == (405, allow)
    assert claim_statuses() == {milestone.pk: ClaimStatus.NOT_CLAIMED}
    assert list(ClaimExport.objects.all()) == [export]


def failed_attempts(milestone, count: int) -> None:
    """``count`` claims PRaP failed, the milestone Rejected as the service leaves it."""
    for n in range(count):
        ClaimAttemptFactory(
            milestone=milestone,
            submitted_on=days(-9 + n),
            outcome=ClaimAttempt.Outcome.FAILED,
            failure_reason="Evidence unclear",
            outcome_recorded_on=days(-9 + n),
        )
    ParticipantMilestone.objects.filter(pk=milestone.pk).update(claim_status=ClaimStatus.REJECTED)


def test_ready_to_claim_keeps_a_failed_self_employed_claim_while_attempts_are_left(
    supervisor_client,
):
    again = SelfEmploymentMilestoneFactory(participant__last_name="Again")
    failed_attempts(again, 2)
    spent = SelfEmploymentMilestoneFactory(participant__last_name="Spent")
    failed_attempts(spent, 3)
    verified(participant__last_name="Rejected job", claim_status=ClaimStatus.REJECTED)

    response = supervisor_client.get(LIST_URL)

    assert listed(response) == ["Again"]
    assert "Failed in PRaP: claim again" in results(response)


def test_self_employed_rows_are_claimed_on_their_page_not_marked_here(supervisor_client):
    self_employed = SelfEmploymentMilestoneFactory(participant__last_name="Trader")
    job = verified(participant__last_name="Employed")

    page = results(supervisor_client.get(LIST_URL))
    refused = supervisor_client.post(MARK_URL, {"milestones": [self_employed.pk, job.pk]})

    assert f'value="{job.pk}"' in page and f'value="{self_employed.pk}"' not in page
    assert "A self-employed outcome is claimed in PRaP" in refused.content.decode()
    assert claim_statuses() == {
        self_employed.pk: ClaimStatus.NOT_CLAIMED,
        job.pk: ClaimStatus.NOT_CLAIMED,
    }

"""The programme builder (milestones.views.programmes)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from jobs.models import Job
from milestones import services
from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from programmes.models import FinancialMilestone, Programme
from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    RestartProgrammeFactory,
    TrackerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("milestones:programme_create")

Status = ParticipantMilestone.Status


# Programme builder


def programme_data(milestones=(), *, milestones_enabled=True, **fields) -> dict:
    """What the programme builder posts. ``milestones`` are dicts of name, amount and
    optionally id and DELETE; those with an id must come first (they are the formset's
    initial forms)."""
    data = {
        "name": "DWP Restart – CPA 9",
        "start_date": "2021-07-01",
        "end_date": "",
        "outcome_window_days": "638",
        "scheme": "dwp_restart",
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(sum(1 for m in milestones if "id" in m)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    } | fields
    if milestones_enabled:
        data["milestones_enabled"] = "on"
    for index, milestone in enumerate(milestones):
        data |= {f"milestones-{index}-{key}": value for key, value in milestone.items()}
    return data


def shown(programme) -> list[dict]:
    """The programme's milestones as the builder shows them."""
    return [
        {"id": m.pk, "name": m.name, "amount": m.amount}
        for m in programme.financial_milestones.all()
    ]


def saved_milestones(programme) -> list[tuple]:
    return list(programme.financial_milestones.values_list("position", "name", "amount"))


def edit_url(programme) -> str:
    return reverse("milestones:programme_edit", args=[programme.pk])


def test_programme_create_saves_the_milestones_in_order(supervisor_client):
    data = programme_data(
        [
            {"name": "First pay", "amount": "1000"},
            {"name": "Job outcome", "amount": "4759.04"},
            {"name": "", "amount": ""},
        ]
    )

    response = supervisor_client.post(CREATE_URL, data)

    programme = Programme.objects.get()
    assert response["Location"] == edit_url(programme)
    assert (programme.name, programme.milestones_enabled, programme.scheme) == (
        "DWP Restart – CPA 9",
        True,
        "dwp_restart",
    )
    assert saved_milestones(programme) == [
        (1, "First pay", Decimal("1000.00")),
        (2, "Job outcome", Decimal("4759.04")),
    ]


def test_programme_edit_recalculates_the_participants_on_it(supervisor_client, north):
    programme = RestartProgrammeFactory()
    participant = ParticipantFactory(programme=programme, team=north)
    TrackerFactory(
        participant=participant,
        start_date=datetime.date(2025, 1, 6),
        weekly_hours=Decimal("16"),
        hourly_rate=Decimal("11.44"),
    )
    bystander = ParticipantFactory(programme=RestartProgrammeFactory(name="Other"), team=north)
    TrackerFactory(participant=bystander)

    response = supervisor_client.post(
        edit_url(programme),
        programme_data(
            [{"name": "First pay", "amount": "1000"}, {"name": "Job outcome", "amount": "4759.04"}],
            name=programme.name,
        ),
        follow=True,
    )

    assert list(participant.milestones.values_list("name", "projected_date")) == [
        ("First pay", datetime.date(2025, 2, 13)),
        ("Job outcome", datetime.date(2025, 7, 6)),
    ]
    assert bystander.milestones.count() == 0
    assert [str(m) for m in response.context["messages"]] == [
        "DWP Restart – CPA 5 saved. Milestones recalculated for 1 participant."
    ]


def test_programme_edit_with_too_many_participants_recalculates_them_in_a_job(
    supervisor_client, supervisor, north, monkeypatch
):
    monkeypatch.setattr(services, "RECALCULATE_IN_REQUEST", 1)
    programme = RestartProgrammeFactory()
    participants = ParticipantFactory.create_batch(2, programme=programme, team=north)
    TrackerFactory(participant=participants[0])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = supervisor_client.post(
            edit_url(programme),
            programme_data([{"name": "Job outcome", "amount": "4759.04"}], name=programme.name),
        )
    page = supervisor_client.get(response.url)

    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.started_by, job.status, job.row_count) == (supervisor, "done", 2)
    assert FinancialMilestone.objects.filter(programme=programme).count() == 1
    assert ParticipantMilestone.objects.filter(participant=participants[0]).count() == 1
    assert [str(m) for m in page.context["messages"]] == [
        f"{programme.name} saved. Its 2 participants are too many to recalculate at once: a "
        "background job is recalculating them, and this page shows how far it has got."
    ]


@pytest.mark.parametrize(
    ("amounts", "error"),
    [
        (
            ["2000", "1000"],
            "Each milestone's amount must be larger than the one before it: they are "
            "cumulative earnings since the participant started.",
        ),
        (
            ["1000", "1000"],
            "Each milestone's amount must be larger than the one before it: they are "
            "cumulative earnings since the participant started.",
        ),
        (["0", "1000"], "Milestone 1, cumulative amount (£): Enter an amount greater than £0."),
        (["1000", "-5"], "Milestone 2, cumulative amount (£): Enter an amount greater than £0."),
    ],
)
def test_programme_create_refuses_bad_amounts_and_saves_nothing(supervisor_client, amounts, error):
    data = programme_data([{"name": f"M{n}", "amount": amount} for n, amount in enumerate(amounts)])

    response = supervisor_client.post(CREATE_URL, data)

    assert response.status_code == 200
    assert (Programme.objects.count(), FinancialMilestone.objects.count()) == (0, 0)
    summary = response.content.decode().split('class="error-summary"', 1)[1].split("</div>")[0]
    assert error in html.unescape(re.sub(r"<[^>]+>", "", summary))


def test_programme_edit_with_bad_amounts_changes_nothing(supervisor_client, restart):
    milestones = [
        {"id": m.pk, "name": m.name, "amount": amount}
        for m, amount in zip(restart.financial_milestones.all(), ["5000", "4759.04"], strict=True)
    ]

    response = supervisor_client.post(
        edit_url(restart), programme_data(milestones, name="Renamed", outcome_window_days="700")
    )

    restart.refresh_from_db()
    assert "There is a problem" in response.content.decode()
    assert (restart.name, restart.outcome_window_days) == ("DWP Restart – CPA 5", 638)
    assert saved_milestones(restart) == [
        (1, "First pay", Decimal("1000.00")),
        (2, "Job outcome", Decimal("4759.04")),
    ]


def test_programme_create_with_milestones_on_needs_a_scheme(supervisor_client):
    response = supervisor_client.post(CREATE_URL, programme_data(scheme=""))

    assert Programme.objects.count() == 0
    assert response.context["form"].errors == {
        "scheme": ["Choose the milestone scheme, or turn milestones off."]
    }
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("days", ["0", "-5"])
def test_programme_create_refuses_an_outcome_window_under_a_day(supervisor_client, days):
    response = supervisor_client.post(CREATE_URL, programme_data(outcome_window_days=days))

    assert Programme.objects.count() == 0
    assert response.context["form"].errors == {
        "outcome_window_days": ["Enter an outcome window of at least 1 day (DWP Restart's is 638)."]
    }


def test_programme_amount_helper_without_a_date_says_what_to_enter(supervisor_client):
    response = supervisor_client.get(CREATE_URL, {"on": ""})

    assert response.context["helper"].errors == {
        "on": ["Enter the date the National Living Wage was in force on, to suggest an amount."]
    }
    assert "Enter the date the National Living Wage was in force on" in response.content.decode()


def test_programme_edit_turning_milestones_off_removes_the_projections(
    supervisor_client, restart, north
):
    participant = ParticipantFactory(programme=restart, team=north)
    TrackerFactory(participant=participant)
    recalculate_participant(participant)

    supervisor_client.post(
        edit_url(restart),
        programme_data(shown(restart), name=restart.name, milestones_enabled=False),
    )
    profile = supervisor_client.get(reverse("participants:detail", args=[participant.pk]))

    restart.refresh_from_db()
    assert restart.milestones_enabled is False
    assert participant.milestones.count() == 0
    assert "does not use milestones, so nothing is projected" in profile.content.decode()


def test_programme_edit_reorders_milestones(supervisor_client, restart):
    first, second = restart.financial_milestones.all()

    supervisor_client.post(
        edit_url(restart),
        programme_data(
            [
                {"id": second.pk, "name": "Early pay", "amount": "500"},
                {"id": first.pk, "name": "First pay", "amount": "1000"},
            ],
            name=restart.name,
        ),
    )

    assert list(restart.financial_milestones.values_list("pk", "position", "name")) == [
        (second.pk, 1, "Early pay"),
        (first.pk, 2, "First pay"),
    ]


def test_programme_edit_deletes_a_milestone_and_its_projections(supervisor_client, restart, north):
    first, second = restart.financial_milestones.all()
    participant = ParticipantFactory(programme=restart, team=north)
    TrackerFactory(participant=participant)
    recalculate_participant(participant)

    supervisor_client.post(
        edit_url(restart),
        programme_data(
            [
                {"id": first.pk, "name": first.name, "amount": first.amount, "DELETE": "on"},
                {"id": second.pk, "name": second.name, "amount": second.amount},
            ],
            name=restart.name,
        ),
    )

    assert saved_milestones(restart) == [(1, "Job outcome", Decimal("4759.04"))]
    assert list(participant.milestones.values_list("name", flat=True)) == ["Job outcome"]


def test_programme_edit_shows_the_milestones_and_a_blank_row(supervisor_client, restart):
    response = supervisor_client.get(edit_url(restart))

    formset = response.context["formset"]
    assert [form.initial.get("name") for form in formset] == ["First pay", "Job outcome", None]


def test_programme_edit_unknown_is_404(supervisor_client):
    response = supervisor_client.post(
        reverse("milestones:programme_edit", args=[999]), programme_data()
    )

    assert response.status_code == 404
    assert Programme.objects.count() == 0


def test_programme_edit_refuses_milestones_changed_meanwhile(supervisor_client, restart):
    loaded = shown(restart)
    FinancialMilestoneFactory(programme=restart, position=3, name="Sustained", amount=6000)

    response = supervisor_client.post(
        edit_url(restart),
        programme_data([*loaded, {"name": "Bonus", "amount": "7000"}], name=restart.name),
    )

    assert response.context["formset"].non_form_errors() == [
        "Someone else changed these milestones while you were editing them, so nothing was "
        "saved. Open the programme again to see the latest milestones."
    ]
    assert saved_milestones(restart) == [
        (1, "First pay", Decimal("1000.00")),
        (2, "Job outcome", Decimal("4759.04")),
        (3, "Sustained", Decimal("6000.00")),
    ]


def test_programme_edit_refuses_a_milestone_removed_meanwhile(supervisor_client, restart):
    first, second = restart.financial_milestones.all()
    loaded = [
        {"id": first.pk, "name": "First pay", "amount": "1000"},
        {"id": second.pk, "name": "Job outcome", "amount": "5079.36"},
    ]
    first.delete()

    response = supervisor_client.post(edit_url(restart), programme_data(loaded, name=restart.name))

    assert "Someone else changed these milestones" in response.content.decode()
    assert saved_milestones(restart) == [(2, "Job outcome", Decimal("4759.04"))]


def test_programme_edit_with_a_window_beyond_the_calendar_still_recalculates(
    supervisor_client, restart, north
):
    participant = ParticipantFactory(programme=restart, team=north)
    TrackerFactory(participant=participant, start_date=datetime.date(2025, 1, 6))

    supervisor_client.post(
        edit_url(restart),
        programme_data(shown(restart), name=restart.name, outcome_window_days="99999999"),
    )

    restart.refresh_from_db()
    assert restart.outcome_window_days == 99999999
    assert list(participant.milestones.values_list("status", flat=True)) == [
        Status.ACHIEVED,
        Status.ACHIEVED,
    ]


@pytest.mark.parametrize("role", ["Administrator", "Compliance officer"])
def test_programme_builder_is_forbidden_to_other_roles(client, restart, north, role):
    client.force_login(UserFactory(role=role, teams=[north]))

    responses = [
        client.get(CREATE_URL),
        client.post(CREATE_URL, programme_data()),
        client.get(edit_url(restart)),
        client.post(edit_url(restart), programme_data(name=restart.name, scheme="")),
    ]

    restart.refresh_from_db()
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Programme.objects.get() == restart
    assert restart.scheme == "dwp_restart"


def test_programme_builder_needs_signing_in(client, restart):
    responses = [client.get(CREATE_URL), client.post(edit_url(restart), programme_data())]

    assert [r["Location"] for r in responses] == [
        f"/accounts/login/?next={CREATE_URL}",
        f"/accounts/login/?next={edit_url(restart)}",
    ]
    assert Programme.objects.get().name == "DWP Restart – CPA 5"


def test_programme_builder_rejects_other_methods(supervisor_client, restart):
    response = supervisor_client.delete(edit_url(restart))

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert list(Programme.objects.values_list("pk", flat=True)) == [restart.pk]
    assert restart.financial_milestones.count() == 2


@pytest.mark.parametrize(
    ("on", "suggestion"),
    [
        (
            "2025-04-01",
            "£5,079.36: 16 hours × 26 weeks at £12.21 an hour "
            "(National Living Wage (21+), from 1 April 2025).",
        ),
        ("2016-03-31", "No National Living Wage on record for that date."),
        ("2015-01-01", "No National Living Wage on record for that date."),
    ],
)
def test_programme_create_amount_helper_suggests_the_restart_amount(
    supervisor_client, on, suggestion
):
    response = supervisor_client.get(CREATE_URL, {"on": on})

    assert f'<p class="notice" role="status">{suggestion}</p>' in response.content.decode()


def test_programme_list_shows_the_milestones(supervisor_client, restart):
    response = supervisor_client.get(reverse("milestones:programme_list"))

    assert "DWP Restart: First pay £1,000.00; Job outcome £4,759.04" in response.content.decode()

import datetime
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from milestones.models import ParticipantMilestone
from organisations.address_finder import get_address_finder
from organisations.models import Address, Organisation
from participants.models import Participant, Team
from reviews.models import Decision
from trackers.models import Tracker

# The demo stores evidence files: in a temporary folder, never in the project.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_teams_participants_employers_and_one_user_per_role():
    output = load_demo()

    assert sorted(Team.objects.values_list("name", flat=True)) == ["North", "South"]
    # 200, the five the sample DWP file matches (reconciliation.demo), and the
    # self-employed one.
    assert Participant.objects.count() == 206
    assert set(Participant.objects.values_list("team__name", flat=True)) == {"North", "South"}
    assert Organisation.objects.confirmed().count() == 5
    assert Tracker.objects.count() == 56
    assert ParticipantMilestone.objects.filter(kind="earnings").count() == 110
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"admin", "admin.south", "compliance", "reviewer", "supervisor", "datafix"}
    assert [g.name for g in users["compliance"].groups.all()] == ["Compliance officer"]
    assert users["supervisor"].has_perm("participants.view_all_teams")
    assert users["datafix"].is_staff and not users["admin"].is_staff
    # A queue to work: trackers in every review state, some assigned to compliance.
    assert set(Tracker.objects.values_list("status", flat=True)) == set(Tracker.Status.values)
    assert Tracker.objects.filter(assignee=users["compliance"], status="in_review").exists()
    assert Decision.objects.filter(outcome="approved").exists()
    assert ParticipantMilestone.objects.filter(status="verified").exists()
    assert "admin        Administrator (North team)" in output
    assert "password: tracker-demo" in output


def test_load_demo_adds_a_self_employed_outcome_across_two_periods_ready_to_claim():
    load_demo()

    participant = Participant.objects.get(reference="RS4-SE-0001")
    today = timezone.localdate()
    periods = participant.trackers.order_by("start_date").values_list(
        "type", "start_date", "end_date", "status"
    )
    milestone = participant.milestones.get(kind=ParticipantMilestone.Kind.SELF_EMPLOYMENT)
    # 100 days of the first period and 82 of the second: 182, achieved the day after.
    assert list(periods) == [
        ("self_employment", days(today, -300), days(today, -201), "approved"),
        ("self_employment", days(today, -102), None, "approved"),
    ]
    assert (milestone.projected_date, milestone.status, milestone.claim_status) == (
        days(today, -20),
        ParticipantMilestone.Status.VERIFIED,
        ParticipantMilestone.ClaimStatus.NOT_CLAIMED,
    )
    window = milestone.claim_window(today=today)
    assert (window.deadline, window.days_left) == (days(today, 70), 70)


def days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


def test_load_demo_twice_changes_nothing():
    load_demo()
    before = list(Participant.objects.order_by("pk").values())

    output = load_demo()

    assert list(Participant.objects.order_by("pk").values()) == before
    assert "0 participants and 0 jobs added" in output


def test_load_demo_uses_demo_password_from_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-passphrase")

    load_demo()

    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="admin", password="another-long-passphrase")
    assert authenticate(request, username="admin", password="tracker-demo") is None


def test_load_demo_lets_find_address_find_every_postcode_it_uses():
    load_demo()

    postcodes = set(Participant.objects.values_list("postcode", flat=True)) | set(
        Address.objects.values_list("postcode", flat=True)
    )
    finder = get_address_finder()

    assert len(postcodes) > 200
    assert [postcode for postcode in sorted(postcodes) if not finder.find(postcode)] == []
    assert list(
        Organisation.objects.filter(name="Pennine Care Homes").values_list(
            "addresses__line_1", "addresses__town", "addresses__postcode", "addresses__is_primary"
        )
    ) == [("Moorside House", "Halifax", "HX1 2LQ", True)]

"""Load demonstration data: two teams, a Restart programme with two milestones, ~200
participants, a few employers with their addresses, an address file for the address
finder, some jobs in every review state, a self-employed participant whose outcome is
ready to claim in PRaP, and one user per role. Safe to run again: it
changes nothing it made before, except that it resets the demo users' passwords."""

import datetime
import os
import random
import uuid
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from faker import Faker

from common.uk import NINO_RE, POSTCODE_RE, normalise_postcode
from milestones.services import create_tracker
from organisations.address_entry import ADDRESS_FIELDS
from organisations.models import Organisation, PostcodeAddress
from organisations.services import create_organisation
from participants.models import Participant, Team
from programmes.models import FinancialMilestone, Programme
from reconciliation import demo as reconciliation_demo
from reviews.models import Decision, ReviewReason
from reviews.services import decide, take
from trackers.evidence import check_upload
from trackers.models import EvidenceDocument, Tracker
from trackers.services import add_evidence, submit_for_review

DEFAULT_PASSWORD = "tracker-demo"  # noqa: S105 - documented demo sign-in
PARTICIPANTS = 200
SEED = 2026

# username: (first name, last name, role, teams, Django admin access, what they see)
USERS = {
    "admin": ("Amira", "Hussain", "Administrator", ["North"], False, "North team"),
    "admin.south": ("Gareth", "Evans", "Administrator", ["South"], False, "South team"),
    "compliance": ("Priya", "Shah", "Compliance officer", ["North"], False, "North team"),
    "reviewer": ("Daniel", "Okafor", "Compliance officer", ["North"], False, "North team"),
    "supervisor": ("Fiona", "MacLeod", "Supervisor", [], False, "all teams"),
    "datafix": ("Tom", "Barker", "Data fix", [], True, "Django admin"),
}
# 8 and 16 hours a week for 26 weeks at the April 2025 National Living Wage (£12.21).
MILESTONES = [
    ("Lower earnings milestone", Decimal("2539.68")),
    ("Job outcome", Decimal("5079.36")),
]
JOB_TITLES = ["Warehouse operative", "Care assistant", "Kitchen porter", "Retail assistant",
              "Delivery driver", "Cleaner", "Customer service adviser", "Labourer"]  # fmt: skip
# name, SIC 2007 section, postcode (its address is the first of the address file there)
EMPLOYERS = [
    ("Aire Valley Logistics Ltd", "H", "BD21 3DE"),
    ("Pennine Care Homes", "Q", "HX1 2LQ"),
    ("Harbour Street Bakery", "I", "YO21 3PU"),
    ("Kirkgate Building Services Ltd", "F", "WF1 1HY"),
    ("Trentside Retail Group plc", "G", "NG1 7EH"),
]
# The self-employed participant: two periods of self-employment, one ended, one still
# trading, whose 182 days add up to an outcome achieved SELF_EMPLOYED_ACHIEVED days ago.
SELF_EMPLOYED = "RS4-SE-0001"
SELF_EMPLOYED_ACHIEVED = 20
# (days before today it started, days it lasted or None while still trading, business)
SELF_EMPLOYED_PERIODS = [
    (300, 100, "Mobile dog grooming"),
    (102, None, "Garden maintenance"),
]
SELF_EMPLOYED_EVIDENCE = [
    EvidenceDocument.Kind.HMRC_REGISTRATION,
    EvidenceDocument.Kind.TRADING_RECORDS,
    EvidenceDocument.Kind.BANK_STATEMENT,
]
# Addresses at every postcode the demo's participants and employers have, for the local
# address finder (``manage.py import_addresses`` reads the same format).
ADDRESS_FILE = Path(__file__).resolve().parents[2] / "demo" / "addresses.csv"


class Command(BaseCommand):
    help = "Load demo teams, programme, participants, employers and users (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        teams = {name: Team.objects.get_or_create(name=name)[0] for name in ("North", "South")}
        users = self._users(teams, password)
        programme, _ = Programme.objects.get_or_create(
            name="DWP Restart – CPA 4",
            defaults={
                "start_date": datetime.date(2021, 7, 1),
                "end_date": datetime.date(2027, 6, 30),
                "outcome_window_days": 638,
                "milestones_enabled": True,
                "scheme": Programme.Scheme.DWP_RESTART,
            },
        )
        for position, (name, amount) in enumerate(MILESTONES, start=1):
            FinancialMilestone.objects.get_or_create(
                programme=programme, position=position, defaults={"name": name, "amount": amount}
            )
        call_command("import_addresses", str(ADDRESS_FILE), stdout=StringIO())
        for name, category, postcode in EMPLOYERS:
            if not Organisation.objects.filter(name=name).exists():
                address = PostcodeAddress.objects.filter(postcode=postcode).order_by("pk").first()
                create_organisation(
                    organisation={
                        "name": name,
                        "owner": users["admin"],
                        "category": category,
                        "status": Organisation.Status.CONFIRMED,
                    },
                    address={field: getattr(address, field) for field in ADDRESS_FIELDS},
                    created_by=users["supervisor"],
                )
        created = self._participants(teams, programme, users)
        jobs = self._jobs(users)
        self._reviews(jobs, users)
        self._self_employed(programme, teams["North"], users)
        # Participants with fixed dates for tracker_site/demo/dwp-notifications.csv.
        reconciliation_demo.load(programme, teams, users["supervisor"])
        self.stdout.write(f"Demo data ready: {created} participants and {len(jobs)} jobs added.")
        self.stdout.write(f"Demo sign-ins (password: {password}):")
        for username, (*_, role, _, _, sees) in USERS.items():
            self.stdout.write(f"  {username:<12} {role} ({sees})")
        if settings.TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Two-factor sign-in is required: after the password, each user sets up an "
                "authenticator app from the QR code shown (or types its key into the app)."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is optional in the demo (DEBUG): set it up from your "
                "name at the top right, Your account. Run with TWO_FACTOR_REQUIRED=1 to "
                "require it, as production does."
            )

    def _users(self, teams: dict[str, Team], password: str) -> dict:
        users = {}
        for username, (first, last, role, team_names, staff, _) in USERS.items():
            user, _ = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            for name in team_names:
                teams[name].members.add(user)
            users[username] = user
        return users

    def _participants(self, teams, programme, users) -> int:
        fake = Faker("en_GB")
        fake.seed_instance(SEED)
        rng = random.Random(SEED)
        advisers = {"North": users["admin"], "South": users["admin.south"]}
        created = 0
        for number in range(1, PARTICIPANTS + 1):
            team = teams["North" if number % 2 else "South"]
            _, was_created = Participant.objects.get_or_create(
                reference=f"RS4-{number:06d}",
                defaults={
                    "first_name": fake.first_name(),
                    "last_name": fake.last_name(),
                    "date_of_birth": fake.date_of_birth(minimum_age=18, maximum_age=64),
                    "nino": _nino(rng),
                    "postcode": _postcode(fake),
                    "email": fake.free_email(),
                    "programme": programme,
                    # Relative to today, so that some milestones are still ahead.
                    "programme_start_date": datetime.date.today()
                    - datetime.timedelta(days=rng.randrange(30, 420)),
                    "team": team,
                    "adviser": advisers[team.name],
                },
            )
            created += was_created
        return created

    def _jobs(self, users) -> list[Tracker]:
        """A job for every fourth participant, some ended, some part-time."""
        employers = list(Organisation.objects.confirmed().by_name())
        created = []
        for participant in Participant.objects.order_by("reference")[::4]:
            if participant.trackers.exists():
                continue
            rng = random.Random(f"{SEED}-{participant.reference}")
            # Every participant started at least 30 days ago (see _participants).
            start = participant.programme_start_date + datetime.timedelta(days=rng.randrange(5, 30))
            ended = rng.random() < 0.25
            tracker, _ = create_tracker(
                participant=participant,
                submission_token=uuid.UUID(int=participant.pk),
                created_by=users[participant.adviser.username],
                description=rng.choice(JOB_TITLES),
                organisation=rng.choice(employers),
                assignee=users["compliance"] if participant.team.name == "North" else None,
                start_date=start,
                end_date=min(
                    start + datetime.timedelta(days=rng.randrange(30, 120)), datetime.date.today()
                )
                if ended
                else None,
                weekly_hours=Decimal(rng.choice(["16", "20", "24", "30", "37.5"])),
                # At or above the National Living Wage of April 2026 (£12.71).
                hourly_rate=Decimal(rng.choice(["12.71", "12.90", "13.10", "13.50"])),
            )
            created.append(tracker)
        return created

    def _reviews(self, trackers: list[Tracker], users) -> None:
        """Trackers in every review state, so that compliance finds a queue to work: in
        turn New (no evidence), In review (assigned to Priya Shah, or to nobody), Info
        requested, Approved and Rejected; a few of those in review are overdue."""
        reasons = {reason.code: reason for reason in ReviewReason.objects.all()}
        for index, tracker in enumerate(trackers):
            step = index % 6
            if step == 0:
                continue
            kinds = [EvidenceDocument.Kind.CONTRACT, EvidenceDocument.Kind.PAYSLIP]
            if step == 5:
                kinds = [EvidenceDocument.Kind.CONTRACT]
            for kind in kinds:
                add_evidence(
                    tracker=tracker,
                    uploads=[
                        check_upload(_demo_pdf(f"{tracker.participant.reference}-{kind}.pdf"))
                    ],
                    kind=kind,
                    uploaded_by=tracker.created_by,
                )
            submit_for_review(
                tracker=tracker, loaded_version=tracker.version, submitted_by=tracker.created_by
            )
            team = tracker.participant.team.name
            reviewer = users["compliance"] if team == "North" else users["supervisor"]
            if step == 1 and team == "North":
                take(tracker=tracker, reviewer=users["compliance"])
                if index % 4 == 1:
                    Tracker.objects.filter(pk=tracker.pk).update(
                        submitted_at=timezone.now() - datetime.timedelta(days=20)
                    )
            elif step == 3:
                decide(tracker=tracker, outcome=Decision.Outcome.INFO_REQUESTED,
                       reason=reasons["evidence_illegible"], note="The payslip is cut off.",
                       loaded_version=tracker.version, decided_by=reviewer)  # fmt: skip
            elif step == 4:
                decide(tracker=tracker, outcome=Decision.Outcome.APPROVED,
                       loaded_version=tracker.version, decided_by=reviewer)  # fmt: skip
            elif step == 5:
                decide(tracker=tracker, outcome=Decision.Outcome.REJECTED,
                       reason=reasons["evidence_missing"], note="No payslip yet.",
                       loaded_version=tracker.version, decided_by=users["reviewer"]
                       if team == "North" else reviewer)  # fmt: skip

    def _self_employed(self, programme, team, users) -> None:
        """A participant with two periods of self-employment (the first ended after 100
        days, the second still trading): the 182 days count across both, so the outcome
        was achieved SELF_EMPLOYED_ACHIEVED days ago; both periods are evidenced and
        approved, so it is Verified and ready to claim in PRaP, with 70 days left."""
        today = datetime.date.today()
        participant, created = Participant.objects.get_or_create(
            reference=SELF_EMPLOYED,
            defaults={
                "first_name": "Maya",
                "last_name": "Okonjo",
                "date_of_birth": datetime.date(1987, 9, 12),
                "postcode": "BD21 3DE",
                "programme": programme,
                "programme_start_date": today - datetime.timedelta(days=320),
                "team": team,
                "adviser": users["admin"],
            },
        )
        if not created:
            return
        for number, (began, lasted, business) in enumerate(SELF_EMPLOYED_PERIODS, start=1):
            start = today - datetime.timedelta(days=began)
            tracker, _ = create_tracker(
                participant=participant,
                submission_token=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-se-{number}"),
                created_by=users["admin"],
                type=Tracker.Type.SELF_EMPLOYMENT,
                description=business,
                start_date=start,
                end_date=start + datetime.timedelta(days=lasted - 1) if lasted else None,
                weekly_hours=Decimal("25"),
                hourly_rate=Decimal("14.00"),
            )
            for kind in SELF_EMPLOYED_EVIDENCE:
                add_evidence(
                    tracker=tracker,
                    uploads=[check_upload(_demo_pdf(f"{SELF_EMPLOYED}-{number}-{kind}.pdf"))],
                    kind=kind,
                    uploaded_by=users["admin"],
                )
            submit_for_review(
                tracker=tracker, loaded_version=tracker.version, submitted_by=users["admin"]
            )
            decide(tracker=tracker, outcome=Decision.Outcome.APPROVED,
                   loaded_version=tracker.version, decided_by=users["compliance"])  # fmt: skip


def _demo_pdf(name: str) -> ContentFile:
    """A one-page PDF of its own (its name is in it, so no two demo files are the same)."""
    return ContentFile(
        b"%PDF-1.4\n% " + name.encode() + b"\n"
        b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
        b"trailer <</Root 1 0 R /Size 4>>\n%%EOF\n",
        name=name,
    )


def _nino(rng: random.Random) -> str:
    while True:
        letters = "".join(rng.choice("ABCEGHJKLMNPRSTWXYZ") for _ in range(2))
        nino = f"{letters}{rng.randrange(10**6):06d}{rng.choice('ABCD')}"
        if NINO_RE.match(nino) and not Participant.objects.filter(nino=nino).exists():
            return nino


def _postcode(fake: Faker) -> str:
    while True:
        postcode = normalise_postcode(fake.postcode())
        if POSTCODE_RE.match(postcode):
            return postcode

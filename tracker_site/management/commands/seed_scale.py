"""Seed a database at a provider's scale for the benchmark (reliability.md §D), the same
data on every run: one fixed random seed and one fixed "today".

    manage.py seed_scale --participants 10000
    manage.py seed_scale --participants 250000 --documents-per-tracker 10

Everything scales with ``--participants`` from the §D "L" tier (250k participants,
100k trackers, 40k employers, 80k contacts, ~1M documents, 200k participant
milestones), with the skew the issue asks for: one adviser with 5,000 participants and
one employer with 2,000 trackers (both capped at a share of the size, so that tiny
seeds work). Rows are written with ``bulk_create`` in batches of 10,000, each with its
simple_history rows (``bulk_create_with_history``); the participant search index fills
itself (the generated ``search_text`` column with PostgreSQL's trigram index, and
SQLite's FTS5 table through its triggers). Participant milestones are written by the
real recalculation (``milestones.recalculation.recalculate``), so they are exactly what
the product would store. Documents are metadata only: no file is written.
"""

import datetime
import hashlib
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from milestones.recalculation import recalculate
from organisations.models import Address, Contact, Organisation
from participants.models import Participant, Team
from programmes.models import FinancialMilestone, Programme
from trackers.models import EvidenceDocument, Tracker

SEED = 12
# Every date is relative to this day, and the recalculation runs as of it, so that two
# runs on different days store the same rows.
TODAY = datetime.date(2026, 12, 1)
# The history rows' date: fixed for the same reason.
HISTORY_DATE = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
BATCH = 10_000
REFERENCE_PREFIX = "S"

# At 250,000 participants (the §D "L" tier); every count scales with the size.
PER_PARTICIPANT = {
    "trackers": 0.4,
    "organisations": 0.16,
    "contacts": 0.32,
    "advisers": 0.004,
}
# The share of participants on the programme with milestones: 2 milestones each makes
# the 200k participant milestones of the L tier.
MILESTONE_SHARE = 0.4
SKEWED_ADVISER_PARTICIPANTS = 5_000
SKEWED_EMPLOYER_TRACKERS = 2_000
TEAMS = ["North", "South", "East", "West", "Central", "Coast", "Valleys", "Moors", "Dales", "Fens"]
MILESTONES = [("Lower earnings milestone", Decimal("2539.68")), ("Job outcome", Decimal("5079.36"))]

FIRST = ["Oliver", "Amelia", "Mohammed", "Isla", "Jack", "Ava", "Harry", "Mia", "Priya",
         "Rhys", "Siân", "Callum", "Aisha", "Tomasz", "Grace", "Noah", "Zara", "Ewan",
         "Fatima", "Leo", "Chloe", "Kwame", "Niamh", "Arjun"]  # fmt: skip
LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
        "Khan", "Patel", "O'Brien", "Nowak", "Hughes", "Roberts", "Walker", "Wright",
        "Thompson", "Edwards", "Green", "Hall", "Wood", "Clarke", "Jackson", "Turner",
        "Hill", "Okafor", "MacLeod", "Begum", "Kowalski", "Murphy"]  # fmt: skip
AREAS = ["LS", "M", "B", "S", "L", "NE", "BD", "HU", "SW", "CF", "NG", "LE"]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
TOWNS = ["Leeds", "Manchester", "Birmingham", "Sheffield", "Liverpool", "Newcastle",
         "Bradford", "Hull", "Cardiff", "Nottingham", "Leicester", "Swansea"]  # fmt: skip
TRADES = ["Warehouse", "Logistics", "Care Homes", "Bakery", "Cleaning Services", "Retail",
          "Construction", "Catering", "Engineering", "Recruitment", "Hotels", "Transport"]  # fmt: skip
SUFFIXES = ["Ltd", "Limited", "& Sons", "Group", "plc", "Co-operative", "Services"]
JOB_TITLES = ["Warehouse operative", "Care assistant", "Kitchen porter", "Retail assistant",
              "Delivery driver", "Cleaner", "Customer service adviser", "Labourer",
              "Forklift driver", "Receptionist"]  # fmt: skip
STATUSES = [  # review status, weight
    (Tracker.Status.NEW, 40),
    (Tracker.Status.IN_REVIEW, 15),
    (Tracker.Status.APPROVED, 35),
    (Tracker.Status.REJECTED, 5),
    (Tracker.Status.INFO_REQUESTED, 5),
]


def _milestones(count: int) -> list[tuple[str, Decimal]]:
    """The first ``count`` milestones: the two of MILESTONES, then sustained-earnings ones
    above the job outcome."""
    extra = [
        (f"Sustained earnings {n}", MILESTONES[-1][1] + 1000 * n)
        for n in range(1, count - len(MILESTONES) + 1)
    ]
    return (MILESTONES + extra)[:count]


def sizes(participants: int, documents_per_tracker: float) -> dict[str, int]:
    counts = {name: round(participants * share) for name, share in PER_PARTICIPANT.items()}
    counts["participants"] = participants
    counts["advisers"] = max(counts["advisers"], 3)
    counts["organisations"] = max(counts["organisations"], 3)
    counts["documents"] = round(counts["trackers"] * documents_per_tracker)
    counts["teams"] = min(len(TEAMS), max(2, participants // 2_500))
    return counts


class Command(BaseCommand):
    help = "Seed a deterministic data set at a provider's scale, for the benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=10_000)
        parser.add_argument(
            "--documents-per-tracker",
            type=float,
            default=2,
            help="Evidence documents (metadata only) per tracker; 10 makes the 1M of §D.",
        )
        parser.add_argument(
            "--milestone-share",
            type=float,
            default=MILESTONE_SHARE,
            help="The share of participants on the programme with milestones (0 to 1).",
        )
        parser.add_argument(
            "--milestones",
            type=int,
            default=len(MILESTONES),
            help="Financial milestones of that programme: at 250,000 participants, "
            "--milestone-share 1 --milestones 4 makes 1M participant milestones.",
        )
        either = parser.add_mutually_exclusive_group()
        either.add_argument(
            "--force", action="store_true", help="Empty the database (flush) first."
        )
        either.add_argument(
            "--reuse",
            action="store_true",
            help="Do nothing if the database already holds a seed of this size.",
        )

    def handle(self, *args, participants: int, documents_per_tracker: float, **options) -> None:
        if participants < 10:
            raise CommandError("Seed at least 10 participants.")
        if documents_per_tracker < 0:
            raise CommandError("--documents-per-tracker cannot be negative.")
        if not 0 <= options["milestone_share"] <= 1:
            raise CommandError("--milestone-share must be from 0 to 1.")
        if not 1 <= options["milestones"] <= 20:
            raise CommandError("--milestones must be from 1 to 20.")

        existing = Participant.objects.count()
        if existing and options["reuse"]:
            seeded = Participant.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
            if seeded == existing == participants:
                self.stdout.write(f"Reusing the seed of {participants:,} participants.")
                return
            raise CommandError(
                f"The database holds {existing:,} participants, not a seed of "
                f"{participants:,}: seed it again with --force."
            )
        if existing and not options["force"]:
            raise CommandError(
                f"The database already holds {existing:,} participants: use --force to empty "
                "it and seed again, or --reuse to keep a seed of the same size."
            )
        if options["force"]:
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        Seeder(
            sizes(participants, documents_per_tracker),
            self.stdout.write,
            milestone_share=options["milestone_share"],
            milestones=_milestones(options["milestones"]),
        ).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {participants:,} participants in {time.perf_counter() - started:.1f} s."
            )
        )


class Seeder:
    """Builds the rows in a fixed order from one random generator, so the same size
    gives the same rows."""

    def __init__(
        self,
        counts: dict[str, int],
        write,
        *,
        milestone_share: float = MILESTONE_SHARE,
        milestones: list[tuple[str, Decimal]] = MILESTONES,
    ) -> None:
        self.counts = counts
        self.write = write
        self.milestone_share = milestone_share
        self.milestone_amounts = milestones
        self.rng = random.Random(SEED)
        self.started = time.perf_counter()

    def run(self) -> None:
        sizes_text = ", ".join(f"{n:,} {name}" for name, n in self.counts.items())
        self.write(f"Seeding {sizes_text} on {connection.vendor}")
        self.staff()
        self.programmes()
        self.organisations()
        self.participants()
        self.trackers()
        self.documents()
        self.milestones()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.progress("analysed the tables")

    def progress(self, text: str) -> None:
        self.write(f"  {time.perf_counter() - self.started:7.1f} s  {text}")

    def bulk(self, model, rows, label: str, *, total: int) -> list:
        """Write the rows (an iterable) in batches, with their history rows."""
        saved, batch = [], []
        historical = hasattr(model, "history")
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                saved += self._write(model, batch, historical)
                self.progress(f"{label} {len(saved):,} of {total:,}")
                batch = []
        if batch:
            saved += self._write(model, batch, historical)
            self.progress(f"{label} {len(saved):,} of {total:,}")
        return saved

    @staticmethod
    def _write(model, batch: list, historical: bool) -> list:
        with transaction.atomic():
            if historical:
                return bulk_create_with_history(
                    batch, model, batch_size=BATCH, default_date=HISTORY_DATE
                )
            return model.objects.bulk_create(batch, batch_size=BATCH)

    def staff(self) -> None:
        """The teams, the advisers (Administrators, each in one team) and a compliance
        officer who holds the trackers in review."""
        User = get_user_model()
        self.teams = Team.objects.bulk_create(
            Team(name=name) for name in TEAMS[: self.counts["teams"]]
        )
        advisers = [
            User(
                username=f"adviser{number:05d}",
                first_name=self.rng.choice(FIRST),
                last_name=self.rng.choice(LAST),
                email=f"adviser{number:05d}@provider.example",
                password="!",  # noqa: S106 - an unusable password: nobody signs in as them
            )
            for number in range(self.counts["advisers"])
        ]
        self.advisers = User.objects.bulk_create(advisers)
        self.compliance = User.objects.create(username="compliance00001", password="!")  # noqa: S106
        Membership = Team.members.through
        Membership.objects.bulk_create(
            Membership(team=self.teams[number % len(self.teams)], user=adviser)
            for number, adviser in enumerate(self.advisers)
        )
        Group.objects.get(name="Administrator").user_set.add(*self.advisers)
        Group.objects.get(name="Compliance officer").user_set.add(self.compliance)
        self.progress(f"{len(self.advisers):,} advisers in {len(self.teams)} teams")

    def programmes(self) -> None:
        self.restart = Programme.objects.create(
            name="DWP Restart – CPA 4",
            start_date=datetime.date(2021, 7, 1),
            milestones_enabled=True,
            scheme=Programme.Scheme.DWP_RESTART,
        )
        for position, (name, amount) in enumerate(self.milestone_amounts, start=1):
            FinancialMilestone.objects.create(
                programme=self.restart, position=position, name=name, amount=amount
            )
        self.other = Programme.objects.create(
            name="Work and Health Programme", start_date=datetime.date(2021, 7, 1)
        )

    def organisations(self) -> None:
        rng, count = self.rng, self.counts["organisations"]
        self.employers = self.bulk(
            Organisation,
            (
                Organisation(
                    name=f"{rng.choice(TOWNS)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)}"
                    + ("" if number < 1 else f" {number}"),
                    owner=rng.choice(self.advisers),
                    category=rng.choice("CFGHIQN"),
                    status=Organisation.Status.CONFIRMED
                    if rng.random() < 0.85
                    else Organisation.Status.UNCONFIRMED,
                )
                for number in range(count)
            ),
            "organisations",
            total=count,
        )
        addresses = self.bulk(
            Address,
            (
                Address(
                    organisation=employer,
                    is_primary=True,
                    line_1=f"{rng.randint(1, 300)} {rng.choice(LAST)} Street",
                    town=rng.choice(TOWNS),
                    postcode=self.postcode(),
                )
                for employer in self.employers
            ),
            "addresses",
            total=count,
        )
        contacts = self.counts["contacts"]
        self.bulk(
            Contact,
            (
                Contact(
                    organisation=self.employers[number % count],
                    address=addresses[number % count],
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    owner=rng.choice(self.advisers),
                    email=f"contact{number}@employer.example",
                    phone=f"+447700900{number % 1000:03d}",
                    role=rng.choice(["Manager", "HR", "Payroll", ""]),
                )
                for number in range(contacts)
            ),
            "contacts",
            total=contacts,
        )

    def postcode(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(AREAS)}{rng.randint(1, 29)} "
            f"{rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        )

    def participants(self) -> None:
        rng, count = self.rng, self.counts["participants"]
        skewed = min(SKEWED_ADVISER_PARTICIPANTS, count // 2)
        first_start = datetime.date(2021, 7, 5)
        span = (TODAY - first_start).days

        def participant(number: int) -> Participant:
            last = rng.choice(LAST) + ("" if rng.random() < 0.8 else f"-{rng.choice(LAST)}")
            adviser = self.advisers[0 if number < skewed else rng.randrange(1, len(self.advisers))]
            return Participant(
                reference=f"{REFERENCE_PREFIX}{number:07d}",
                first_name=rng.choice(FIRST),
                last_name=last,
                date_of_birth=datetime.date(1960, 1, 1)
                + datetime.timedelta(days=rng.randrange(16_000)),
                nino=f"AB{number:06d}{'ABCD'[number % 4]}" if rng.random() < 0.9 else "",
                postcode=self.postcode(),
                email=f"participant{number}@example.com" if rng.random() < 0.6 else "",
                programme=self.restart if rng.random() < self.milestone_share else self.other,
                programme_start_date=first_start + datetime.timedelta(days=rng.randrange(span)),
                team=self.teams[number % len(self.teams)],
                adviser=adviser,
            )

        self.people = self.bulk(
            Participant, (participant(n) for n in range(count)), "participants", total=count
        )

    def trackers(self) -> None:
        """Trackers for about a third of the participants (a fifth with two), one
        employer holding the skewed share of them."""
        rng, count = self.rng, self.counts["trackers"]
        with_one = rng.sample(range(len(self.people)), min(len(self.people), round(count * 0.8)))
        with_two = rng.sample(with_one, min(len(with_one), count - len(with_one)))
        owners = sorted(with_one + with_two)
        skewed = min(SKEWED_EMPLOYER_TRACKERS, count // 5)
        statuses, weights = zip(*STATUSES, strict=True)
        submitted = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)

        skewed_jobs = []

        def employer() -> Organisation:
            if len(skewed_jobs) < skewed:
                skewed_jobs.append(1)
                return self.employers[0]
            return self.employers[rng.randrange(1, len(self.employers))]

        def tracker(number: int, owner: int) -> Tracker:
            participant = self.people[owner]
            start = participant.programme_start_date + datetime.timedelta(
                days=rng.randrange(5, 300)
            )
            start = min(start, TODAY)
            end = start + datetime.timedelta(days=rng.randrange(20, 250))
            self_employed = rng.random() < 0.08
            status = rng.choices(statuses, weights)[0]
            return Tracker(
                participant=participant,
                type=Tracker.Type.SELF_EMPLOYMENT if self_employed else Tracker.Type.JOB,
                status=status,
                submitted_at=None
                if status == Tracker.Status.NEW
                else submitted + datetime.timedelta(minutes=number),
                assignee=self.compliance if status == Tracker.Status.IN_REVIEW else None,
                description="Self-employed gardener" if self_employed else rng.choice(JOB_TITLES),
                organisation=None if self_employed else employer(),
                start_date=start,
                end_date=end if rng.random() < 0.4 and end <= TODAY else None,
                weekly_hours=Decimal(rng.choice(["8", "16", "20", "30", "37.5"])),
                hourly_rate=Decimal(rng.choice(["11.44", "12.21", "12.71", "14.50"])),
                created_by=participant.adviser,
            )

        self.jobs = self.bulk(
            Tracker,
            (tracker(number, owner) for number, owner in enumerate(owners)),
            "trackers",
            total=len(owners),
        )

    def documents(self) -> None:
        rng, count = self.rng, self.counts["documents"]
        kinds = [kind for kind, _ in EvidenceDocument.Kind.choices]

        def document(number: int) -> EvidenceDocument:
            tracker = self.jobs[number % len(self.jobs)]
            digest = hashlib.sha256(f"{SEED}-{number}".encode()).hexdigest()
            return EvidenceDocument(
                tracker=tracker,
                file=f"evidence/{digest[:32]}",
                original_name=f"payslip-{number}.pdf",
                kind=rng.choice(kinds),
                content_type="application/pdf",
                size=rng.randrange(20_000, 2_000_000),
                sha256=digest,
                uploaded_by=tracker.created_by,
            )

        if self.jobs:
            self.bulk(
                EvidenceDocument, (document(n) for n in range(count)), "documents", total=count
            )

    def milestones(self) -> None:
        """The real recalculation, as of TODAY: the rows the product itself stores."""
        on_restart = Participant.objects.filter(programme=self.restart)
        total = on_restart.count()

        def report(done: int, rows: int) -> None:
            if done % BATCH == 0 or done == total:
                self.progress(f"milestones of {done:,} of {total:,} participants: {rows:,} rows")

        recalculate(on_restart, today=TODAY, progress=report)

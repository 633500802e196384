"""Factories for tests: minimal, valid, unsurprising."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from milestones import forecast_days
from milestones.models import ClaimAttempt, ParticipantMilestone
from organisations.models import Address, Organisation, PostcodeAddress
from participants.models import Participant, Team
from programmes.models import FinancialMilestone, Programme
from trackers.models import EvidenceDocument, Tracker

PASSWORD = "correct-horse-battery"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff. ``role`` names a group; ``teams`` a list of teams."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        for team in extracted or []:
            team.members.add(self)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["name"]

    name = "DWP Restart – CPA 4"
    start_date = datetime.date(2021, 7, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Employer {n} Ltd")
    owner = factory.SubFactory(UserFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    reference = factory.Sequence(lambda n: f"RS{n:06d}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Smith{n}")
    date_of_birth = datetime.date(1990, 5, 17)
    nino = factory.Sequence(lambda n: f"AB{n:06d}C")
    postcode = "LS1 4AP"
    programme = factory.SubFactory(ProgrammeFactory)
    programme_start_date = datetime.date(2025, 1, 6)
    team = factory.SubFactory(TeamFactory, name="North")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    organisation = factory.SubFactory(OrganisationFactory)
    line_1 = factory.Sequence(lambda n: f"{n + 1} High Street")
    town = "Leeds"
    postcode = "LS1 4AP"


class PostcodeAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeAddress

    line_1 = factory.Sequence(lambda n: f"{n + 1} Park Row")
    town = "Leeds"
    postcode = "LS1 4AP"


class TrackerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tracker

    participant = factory.SubFactory(ParticipantFactory)
    type = Tracker.Type.JOB
    organisation = factory.SubFactory(OrganisationFactory, status="confirmed")
    description = "Warehouse operative"
    start_date = datetime.date(2025, 6, 2)
    weekly_hours = Decimal("20")
    hourly_rate = Decimal("12.21")
    created_by = factory.SubFactory(UserFactory)


# A one-page PDF, small but complete enough for a PDF reader to open.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R /Size 4>>\n"
    b"%%EOF\n"
)


class EvidenceDocumentFactory(factory.django.DjangoModelFactory):
    """A stored payslip PDF: tests that use it must point MEDIA_ROOT at a temporary folder."""

    class Meta:
        model = EvidenceDocument

    tracker = factory.SubFactory(TrackerFactory)
    file = factory.django.FileField(filename="payslip.pdf", data=MINIMAL_PDF)
    original_name = "payslip.pdf"
    kind = EvidenceDocument.Kind.PAYSLIP
    content_type = "application/pdf"
    size = len(MINIMAL_PDF)
    sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)


class RestartProgrammeFactory(ProgrammeFactory):
    """A programme with the milestone feature on and the DWP Restart scheme selected;
    add its amounts with FinancialMilestoneFactory."""

    name = "DWP Restart – CPA 5"
    milestones_enabled = True
    scheme = Programme.Scheme.DWP_RESTART


class FinancialMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialMilestone

    programme = factory.SubFactory(RestartProgrammeFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda m: f"Milestone {m.position}")
    amount = Decimal("1000.00")


class ParticipantMilestoneFactory(factory.django.DjangoModelFactory):
    """A stored projection as the recalculation would write it (Projected, not claimed)."""

    class Meta:
        model = ParticipantMilestone
        skip_postgeneration_save = True

    participant = factory.SubFactory(
        ParticipantFactory, programme=factory.SubFactory(RestartProgrammeFactory)
    )
    name = "Job outcome"
    amount = Decimal("5079.36")
    earned_to_date = Decimal("0.00")
    projected_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=70)
    )
    weeks_left = 10
    status = ParticipantMilestone.Status.PROJECTED
    calculated_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def counted(milestone, create, extracted, **kwargs):
        """Counted in the forecast, as the recalculation would have (a later change to
        the row, made past the services, is not)."""
        if create:
            changes = forecast_days.ForecastChanges()
            participant = milestone.participant
            changes.add(
                (participant.programme_id, participant.team_id),
                milestone.projected_date,
                milestone.status,
                milestone.amount,
            )
            forecast_days.apply(changes)


class SelfEmploymentMilestoneFactory(ParticipantMilestoneFactory):
    """A self-employed outcome achieved 10 days ago and Verified: ready to claim in PRaP."""

    kind = ParticipantMilestone.Kind.SELF_EMPLOYMENT
    name = "Self-employment (26 weeks)"
    amount = None
    projected_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=10)
    )
    weeks_left = 0
    status = ParticipantMilestone.Status.VERIFIED


class ClaimAttemptFactory(factory.django.DjangoModelFactory):
    """A claim submitted in PRaP, still Pending."""

    class Meta:
        model = ClaimAttempt

    milestone = factory.SubFactory(SelfEmploymentMilestoneFactory)
    submitted_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Job"

    kind = "count"
    title = "Counting to three"
    task_path = "tests.jobs.tasks.count_to_three"
    started_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)

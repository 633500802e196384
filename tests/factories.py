"""Factories for tests: minimal, valid, unsurprising."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from milestones.models import Programme
from organisations.models import Address, Organisation, PostcodeAddress
from participants.models import Participant, Team

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

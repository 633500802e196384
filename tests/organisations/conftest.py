"""Fixtures shared by the organisation tests: a signed-in Compliance officer (who may look
but not change) and contacts, for which tests/factories.py has no factory."""

import pytest

from organisations.models import Contact
from tests.factories import UserFactory


@pytest.fixture
def compliance_client(client, compliance):
    client.force_login(compliance)
    return client


@pytest.fixture
def make_contact(db):
    """Save a contact "Sam" at the organisation; keywords override its fields."""

    def make(organisation, **fields) -> Contact:
        defaults = {"name": "Sam", "email": "sam@example.org", "phone": "+441134960000"}
        if "owner" not in fields:
            fields["owner"] = UserFactory()
        return Contact.objects.create(organisation=organisation, **defaults | fields)

    return make

import pytest

from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def north(db):
    return TeamFactory(name="North")


@pytest.fixture
def south(db):
    return TeamFactory(name="South")


@pytest.fixture
def administrator(north):
    """An Administrator in the North team."""
    return UserFactory(username="admin", role="Administrator", teams=[north])


@pytest.fixture
def supervisor(db):
    """A Supervisor, who sees every team."""
    return UserFactory(username="supervisor", role="Supervisor")


@pytest.fixture
def compliance(north):
    return UserFactory(username="compliance", role="Compliance officer", teams=[north])


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files without the production manifest (built by collectstatic)."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }

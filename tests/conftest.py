import pytest

from tests.factories import ProgrammeFactory, TeamFactory, UserFactory
from tests.tracker_site.world import build_world


@pytest.fixture
def north(db):
    return TeamFactory(name="North")


@pytest.fixture
def south(db):
    return TeamFactory(name="South")


@pytest.fixture
def programme(db):
    """DWP Restart – CPA 4, which started on 1 July 2021."""
    return ProgrammeFactory()


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


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files without the production manifest (built by collectstatic), and
    hash passwords quickly: the real hasher's slowness is the point in production."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, media_root):
    """The permission tests' world (tests/tracker_site/world.py)."""
    return build_world()


@pytest.fixture
def signed_in_as(client, world):
    """A client signed in as the role (``anonymous``: not signed in; ``deactivated``:
    signed in, then the account made inactive)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(world[role])
        if role == "deactivated":
            world[role].is_active = False
            world[role].save(update_fields=["is_active"])
        return client

    return sign_in

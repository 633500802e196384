import pytest

from tests.tracker_site.world import build_world


@pytest.fixture
def world(db, media_root):
    return build_world()


@pytest.fixture
def sign_in(client, world):
    """A client signed in as the role (``anonymous``: not signed in; ``deactivated``:
    signed in, then the account made inactive)."""

    def sign_in_as(role: str):
        if role != "anonymous":
            client.force_login(world[role])
        if role == "deactivated":
            world[role].is_active = False
            world[role].save(update_fields=["is_active"])
        return client

    return sign_in_as

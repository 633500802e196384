"""The permission matrix (tests/tracker_site/permission_matrix.py) holds for every role,
URL and method, and every URL of the site has its row."""

import pytest
from django.urls import reverse

from common.front_end import REFUSED_TEMPLATE
from tests.tracker_site.permission_matrix import (
    ADMIN_CASES,
    ADMIN_GROUP,
    ADMIN_PAGES,
    CASES,
    MATRIX,
    url_names,
)
from tests.tracker_site.world import row_counts

# Answers that refuse: a POST answered so must have written nothing.
REFUSALS = {"login", "admin-login", "admin", "403", "404", "405"}


def answer(response) -> str:
    """The response as a cell of the matrix."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(f"{reverse('login')}?next="):
            return "login"
        if location.startswith(f"{reverse('admin:login')}?next="):
            return "admin-login"
    if response.status_code == 403 and REFUSED_TEMPLATE in {t.name for t in response.templates}:
        return "admin"
    return str(response.status_code)


@pytest.mark.parametrize(("url_name", "role", "method"), CASES)
def test_permission_matrix_answers_each_role_as_its_row_says(
    signed_in_as, world, url_name, role, method
):
    row = MATRIX[url_name]
    client = signed_in_as(role)
    before = row_counts()

    response = client.generic(method, row.url(world))

    expected = row.answers[role, method]
    assert answer(response) == expected
    if method == "POST" and expected in REFUSALS:
        assert row_counts() == before


@pytest.mark.parametrize(("url_name", "role"), ADMIN_CASES)
def test_permission_matrix_admin_pages_answer_each_role_as_their_row_says(
    signed_in_as, world, url_name, role
):
    row = ADMIN_PAGES[url_name]
    client = signed_in_as(role)

    response = client.get(row.url(world))

    assert answer(response) == row.answers[role, "GET"]


def test_permission_matrix_has_a_row_for_every_url_name():
    missing = sorted(
        name for name in url_names() if name not in MATRIX and not name.startswith(ADMIN_GROUP)
    )

    assert missing == [], (
        "These URL names have no row in tests/tracker_site/permission_matrix.py "
        f"(add one to TABLE for each): {', '.join(missing)}"
    )


def test_permission_matrix_rows_name_only_urls_that_exist():
    stale = sorted((set(MATRIX) | set(ADMIN_PAGES)) - set(url_names()))

    assert stale == [], f"These rows name no URL of the site: {', '.join(stale)}"


def test_permission_matrix_covers_every_admin_app_with_a_list_and_a_change_page():
    apps_with = {
        kind: {name.split(":")[1].split("_")[0] for name in ADMIN_PAGES if name.endswith(kind)}
        for kind in ("_changelist", "_change")
    }

    assert apps_with == {
        "_changelist": {
            "participants",
            "trackers",
            "organisations",
            "programmes",
            "milestones",
            "reviews",
            "auth",
        },
        "_change": {
            "participants",
            "trackers",
            "organisations",
            "programmes",
            "milestones",
            "reviews",
        },
    }

"""Data-fix staff (and staff with no front-end role) have the admin only; superusers
keep everything (common/front_end.py)."""

import pytest
from django.urls import reverse

from tests.factories import MINIMAL_PDF, UserFactory
from tests.tracker_site.world import LAST_NAME


def test_front_end_refuses_data_fix_staff_with_a_link_to_the_admin(signed_in_as, world):
    client = signed_in_as("data_fix")

    response = client.get(reverse("participants:list"))

    body = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Your account cannot use these pages</h1>" in body
    assert f'<a href="{reverse("admin:index")}">Go to the admin</a>' in body
    assert LAST_NAME not in body


def test_front_end_never_serves_a_payslip_to_data_fix_staff(signed_in_as, world):
    client = signed_in_as("data_fix")
    document = world["document"]

    response = client.get(
        reverse(
            "trackers:document_download",
            args=[world["participant"].pk, document.tracker_id, document.pk],
        )
    )

    assert response.status_code == 403
    assert not response.streaming
    assert MINIMAL_PDF not in response.content


def test_front_end_admin_evidence_page_offers_data_fix_staff_no_file(signed_in_as, world):
    client = signed_in_as("data_fix")
    document = world["document"]

    response = client.get(reverse("admin:trackers_evidencedocument_change", args=[document.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert document.original_name in body
    assert document.file.name not in body
    assert "/documents/" not in body


def test_front_end_lets_data_fix_staff_sign_out(signed_in_as, world):
    client = signed_in_as("data_fix")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_front_end_refuses_staff_without_a_role(client):
    client.force_login(UserFactory(username="new-starter"))

    response = client.get(reverse("milestones:list"))

    assert response.status_code == 403
    assert "Ask a supervisor to give you one." in response.content.decode()


def test_front_end_keeps_everything_for_a_superuser_without_a_role(client, world):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse("participants:list"))

    assert response.status_code == 200
    assert LAST_NAME in response.content.decode()


def test_front_end_menu_offers_data_fix_staff_only_the_admin(signed_in_as, world):
    client = signed_in_as("data_fix")

    page = client.get(reverse("accounts:account")).content.decode()

    menu = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/admin/"' in menu
    assert menu.count("<li>") == 1

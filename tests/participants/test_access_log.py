"""The read-access log: one row a minute per URL, the Supervisors' page, the admin."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from participants.access_log import Kind, export_recorded_by
from participants.models import AccessLogEntry, Participant
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

LOG_URL = reverse("participants:access_log")


def paths() -> list[str]:
    return list(AccessLogEntry.objects.order_by("at").values_list("path", flat=True))


def test_record_access_adds_one_row_a_minute_per_url(administrator_client, north):
    participant = ParticipantFactory(team=north)
    url = reverse("participants:detail", args=[participant.pk])

    now = timezone.now()

    with mock.patch("django.utils.timezone.now", return_value=now):
        administrator_client.get(url)
        administrator_client.get(url, headers={"HX-Request": "true"})
    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(minutes=2)):
        administrator_client.get(url)

    assert paths() == [url, url]


def test_access_log_page_filters_by_participant_user_and_day(supervisor_client, north):
    smith, jones = (ParticipantFactory(team=north, last_name=name) for name in ("Smith", "Jones"))
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for participant, user, day in [(smith, alice, 1), (smith, bob, 2), (jones, alice, 2)]:
        AccessLogEntry.objects.create(
            participant=participant, user=user, kind="viewed", url_name="participants:detail",
            path=f"/p/{participant.pk}/{user.username}/{day}/",
            at=datetime.datetime(2030, 6, day, 12, tzinfo=datetime.UTC),
        )  # fmt: skip

    response = supervisor_client.get(
        LOG_URL,
        {"participant": "smith", "user": alice.pk, "read_from_day": "1", "read_from_month": "6",
         "read_from_year": "2030", "read_to_day": "1", "read_to_month": "6", "read_to_year": "2030"},
    )  # fmt: skip

    assert [entry.path for entry in response.context["page"].rows] == [f"/p/{smith.pk}/alice/1/"]


def test_access_log_page_says_a_bad_range_beside_the_field(supervisor_client):
    response = supervisor_client.get(
        LOG_URL,
        {"read_from_day": "2", "read_from_month": "6", "read_from_year": "2030",
         "read_to_day": "1", "read_to_month": "6", "read_to_year": "2030"},
    )  # fmt: skip

    assert response.context["form"].errors == {
        "read_to": ["Enter a date on or after the first day."]
    }


def test_access_log_page_is_a_supervisors(administrator_client):
    response = administrator_client.get(LOG_URL)

    assert response.status_code == 403
    assert AccessLogEntry.objects.count() == 0


def test_access_log_page_rejects_post(supervisor_client, north):
    response = supervisor_client.post(LOG_URL, {"kind": "viewed"})

    assert (response.status_code, response["Allow"]) == (405, "GET")


def test_access_log_admin_is_read_only(client, north):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    entry = AccessLogEntry.objects.create(
        participant=ParticipantFactory(team=north), user=UserFactory(), kind="viewed",
        url_name="participants:detail", path="/p/",
    )  # fmt: skip
    change = reverse("admin:participants_accesslogentry_change", args=[entry.pk])

    client.post(change, {"path": "/forged/"})
    add = client.get(reverse("admin:participants_accesslogentry_add"))

    entry.refresh_from_db()
    assert (entry.path, add.status_code) == ("/p/", 403)


def _export_logged(user, participants, body=lambda: None) -> None:
    ids = Participant.objects.filter(pk__in=[p.pk for p in participants]).values_list("pk")
    with export_recorded_by(user, ids, url_name="milestones:export", path="/milestones/export/"):
        body()


@pytest.mark.django_db(transaction=True)
def test_an_export_logs_each_participant_once_while_its_file_is_written(north):
    """On PostgreSQL, outside a transaction, by a connection of its own (committed by
    itself); elsewhere after the file, in its transaction."""
    user = UserFactory(teams=[north])
    participants = ParticipantFactory.create_batch(3, team=north)
    seen_while_writing = []

    _export_logged(user, participants, lambda: seen_while_writing.append(True))

    logged = AccessLogEntry.objects.filter(user=user, kind=Kind.EXPORTED)
    assert seen_while_writing == [True]
    assert sorted(logged.values_list("participant_id", flat=True)) == sorted(
        p.pk for p in participants
    )
    assert set(logged.values_list("url_name", "path")) == {
        ("milestones:export", "/milestones/export/")
    }


@pytest.mark.django_db(transaction=True)
def test_an_export_whose_file_fails_says_so_and_logs_as_its_engine_allows(north):
    user = UserFactory(teams=[north])
    participants = ParticipantFactory.create_batch(2, team=north)

    def fail():
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        _export_logged(user, participants, fail)

    # On PostgreSQL the rows were read (and logged) as the file was being written; on
    # SQLite the log comes after the file, so there is none.
    logged = AccessLogEntry.objects.filter(user=user, kind=Kind.EXPORTED).count()
    assert logged == (2 if connection.vendor == "postgresql" else 0)


def test_an_export_inside_a_transaction_logs_in_it(north):
    """A test's transaction, or a job's own: another connection could not see its rows."""
    user = UserFactory(teams=[north])
    participants = ParticipantFactory.create_batch(2, team=north)

    _export_logged(user, participants)

    assert AccessLogEntry.objects.filter(user=user, kind=Kind.EXPORTED).count() == 2

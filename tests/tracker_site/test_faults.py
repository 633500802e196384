"""Faults injected mid-request: a database error after some rows are written gives the
generic error page and leaves no partial rows and no stored files."""

import threading
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from organisations.models import Address, Contact, Organisation
from participants.models import Participant
from tests.factories import MINIMAL_PDF, OrganisationFactory, ParticipantFactory, TrackerFactory
from tests.milestones.views.test_casework import create_url, form_data, pdf_upload
from tests.organisations.views.test_organisations import FIRST_ADDRESS, FIRST_CONTACT, create_data
from tests.participants.helpers import participant_data
from trackers.models import EvidenceDocument, Tracker

pytestmark = [pytest.mark.django_db(transaction=True)]

ERROR_PAGE = "Nothing you entered was saved. Please try again in a few minutes."


@contextmanager
def failing_on(table: str):
    """The database refuses the first INSERT into the table, as a full or failing
    database would, after whatever the request wrote before it."""
    seen = []

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql and not seen:
            seen.append(sql)
            raise OperationalError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield seen
    assert seen, f"nothing was written to {table}"


@pytest.fixture
def signed_in(administrator):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    return client


def stored_files(root) -> list[str]:
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


def test_create_tracker_with_a_database_error_after_the_file_is_stored_leaves_nothing(
    signed_in, north, media_root
):
    participant = ParticipantFactory(team=north)
    employer = OrganisationFactory(status=Organisation.Status.CONFIRMED)
    data = form_data(signed_in, participant, organisation=employer.pk)

    with failing_on("trackers_historicalevidencedocument"):
        response = signed_in.post(create_url(participant), data | {"documents": [pdf_upload()]})

    assert response.status_code == 500
    assert ERROR_PAGE in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert (Tracker.objects.count(), Tracker.history.count()) == (0, 0)
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


def test_evidence_upload_with_a_database_error_on_the_second_file_leaves_nothing(
    signed_in, north, media_root
):
    tracker = TrackerFactory(participant=ParticipantFactory(team=north))
    url = reverse("trackers:document_upload", args=[tracker.participant_id, tracker.pk])
    files = [SimpleUploadedFile(name, MINIMAL_PDF) for name in ("one.pdf", "two.pdf")]

    with failing_on("trackers_historicalevidencedocument"):
        response = signed_in.post(url, {"kind": "payslip", "files": files})

    assert ERROR_PAGE in response.content.decode()
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media_root) == []


def test_organisation_create_with_a_database_error_on_the_contact_leaves_nothing(
    signed_in, administrator
):
    data = create_data(administrator, **FIRST_ADDRESS, **FIRST_CONTACT)

    with failing_on("organisations_contact"):
        response = signed_in.post(reverse("organisations:create"), data)

    assert ERROR_PAGE in response.content.decode()
    assert (Organisation.objects.count(), Address.objects.count(), Contact.objects.count()) == (
        0,
        0,
        0,
    )
    assert Organisation.history.count() == 0


def test_participant_create_with_a_database_error_on_its_history_leaves_nothing(
    signed_in, north, programme
):
    data = participant_data(programme, north)

    with failing_on("participants_historicalparticipant"):
        response = signed_in.post(reverse("participants:create"), data)

    assert ERROR_PAGE in response.content.decode()
    assert Participant.objects.count() == 0


def test_a_database_that_is_down_gives_the_error_page_not_a_trace(signed_in):
    def down(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    with connection.execute_wrapper(down):
        page = signed_in.get(reverse("participants:list"))
        # A load balancer's check carries no session.
        health = Client(raise_request_exception=False).get(reverse("health"))

    assert page.status_code == 500
    assert ERROR_PAGE in page.content.decode()
    assert "127.0.0.1" not in page.content.decode()
    assert health.json() == {"status": "database unavailable"}


def test_an_unknown_page_gives_the_generic_page_without_the_sites_urls(signed_in):
    response = signed_in.get("/participants/does-not-exist/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "The page does not exist, or it belongs to a team you are not in." in page
    assert "URLconf" not in page


def test_a_request_for_another_host_gives_the_generic_bad_request_page(settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]

    response = Client(raise_request_exception=False).get(
        "/accounts/login/", HTTP_HOST="evil.example"
    )

    assert response.status_code == 400
    assert "DisallowedHost" not in response.content.decode()
    assert "evil.example" not in response.content.decode()


def test_six_simultaneous_create_tracker_posts_make_one_tracker_and_no_error(
    administrator, north, media_root
):
    """The probe's double submit: every request answers as the winner did (the
    participant's trackers), one tracker is made, on SQLite as on PostgreSQL."""
    participant = ParticipantFactory(team=north)
    employer = OrganisationFactory(status=Organisation.Status.CONFIRMED)
    clients = [Client(raise_request_exception=False) for _ in range(6)]
    for client in clients:
        client.force_login(administrator)
    data = form_data(clients[0], participant, organisation=employer.pk)
    responses, barrier = [], threading.Barrier(len(clients))

    def submit(client):
        barrier.wait()
        try:
            responses.append(client.post(create_url(participant), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    trackers_url = reverse("trackers:list", args=[participant.pk])
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, trackers_url)] * 6
    assert Tracker.objects.filter(participant=participant).count() == 1

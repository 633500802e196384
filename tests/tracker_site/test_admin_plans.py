"""The admin's changelists read indexes, not whole tables: each default order is an index
(no sort of the table), and a search by reference or NINO goes through the unique
indexes (no scan of the participants). As in tests/participants/test_search_plans.py,
enough rows with fresh statistics, and on PostgreSQL sequential scans ruled out, since
at this size a scan still costs less than at a provider's."""

import re

import pytest
from django.db import connection, transaction
from django.urls import reverse

from milestones.models import ParticipantMilestone
from organisations.models import Address, Contact, Organisation, PostcodeAddress
from participants.models import AccessLogEntry, Participant
from reviews.models import Decision
from tests.factories import (
    AddressFactory,
    EvidenceDocumentFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    PostcodeAddressFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db

ROWS = 1000
POSTGRESQL = connection.vendor == "postgresql"

# Each large changelist and the index that answers its order.
ORDER_INDEXES = {
    "participants.participant": "participant_name_order",
    "trackers.tracker": "tracker_start_order",
    "trackers.evidencedocument": "document_upload_order",
    "organisations.organisation": "organisation_name_order",
    "organisations.address": "address_order",
    "organisations.contact": "contact_name_order",
    # The unique constraint's (postcode, line_1, ...), then id among equal first lines
    # (an automatic index on SQLite).
    "organisations.postcodeaddress": (
        "postcode_address_unique"
        if POSTGRESQL
        else "sqlite_autoindex_organisations_postcodeaddress"
    ),
    "milestones.participantmilestone": "milestone_admin_order",
    "reviews.decision": "decision_order",
    "participants.accesslogentry": "access_log_order",
}


def _copies(template, count, **varying):
    fields = [
        f for f in type(template)._meta.concrete_fields if not f.generated and not f.primary_key
    ]
    return [
        type(template)(
            **{f.attname: getattr(template, f.attname) for f in fields}
            | {name: make(number) for name, make in varying.items()}
        )
        for number in range(count)
    ]


@pytest.fixture
def many_rows(north, media_root):
    """ROWS rows in each large table (participants, each with a tracker, a document, a
    decision, a milestone and a read; organisations, each with an address and a contact;
    address file entries), then ANALYZE."""
    before = transaction.savepoint_create()
    user = UserFactory()
    tracker = TrackerFactory(
        participant=ParticipantFactory(team=north, reference="RS900001", nino="JT900001A"),
        description="Forklift trainer",
    )
    AccessLogEntry.objects.create(
        participant=tracker.participant, user=user, kind="viewed", url_name="x"
    )
    participants = Participant.objects.bulk_create(
        _copies(
            tracker.participant,
            ROWS,
            reference=lambda n: f"P{n:06d}",
            last_name=lambda n: f"Name{n}",
            nino=lambda n: "",
        )
    )
    trackers = Tracker.objects.bulk_create(
        _copies(
            tracker,
            ROWS,
            participant_id=lambda n: participants[n].pk,
            description=lambda n: "Warehouse operative",
        )
    )
    _bulk(EvidenceDocumentFactory(tracker=tracker), tracker_id=lambda n: trackers[n].pk)
    _bulk(
        Decision(tracker=tracker, tracker_version=1, outcome="approved", decided_by=user),
        tracker_id=lambda n: trackers[n].pk,
    )
    _bulk(
        ParticipantMilestoneFactory(participant=tracker.participant),
        participant_id=lambda n: participants[n].pk,
    )
    _bulk(
        AccessLogEntry(participant=tracker.participant, user=user, kind="viewed", url_name="x"),
        participant_id=lambda n: participants[n].pk,
    )
    organisations = _bulk(tracker.organisation, name=lambda n: f"Employer {n:05d}")
    _bulk(AddressFactory(), organisation_id=lambda n: organisations[n].pk)
    _bulk(
        Contact(name="Sam", email="sam@example.org", phone="+441134960000", owner=user),
        organisation_id=lambda n: organisations[n].pk,
    )
    _bulk(PostcodeAddressFactory(), line_1=lambda n: f"{n} Albion Street")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if POSTGRESQL:
            cursor.execute("SET LOCAL enable_seqscan = off")
    yield tracker
    # PostgreSQL keeps what ANALYZE finds of a table's size (pg_class.reltuples) when the
    # test's transaction rolls back, and the admin reads it to say "About 1,001" of a
    # table of two rows: analysed again without the rows, the tables are empty to the
    # tests that follow.
    transaction.savepoint_rollback(before)
    if POSTGRESQL:
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in ANALYSED)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


ANALYSED = [
    AccessLogEntry, Decision, EvidenceDocument, ParticipantMilestone, Tracker, Participant,
    Contact, Address, Organisation, PostcodeAddress,
]  # fmt: skip


def _bulk(template, **varying):
    return type(template).objects.bulk_create(_copies(template, ROWS, **varying))


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _plan(client, label, **params) -> str:
    response = client.get(reverse("admin:{}_{}_changelist".format(*label.split("."))), params)
    cl = response.context["cl"]
    # The page's query: the changelist's queryset, one page (and one row) long.
    return cl.queryset[: cl.list_per_page + 1].explain()


@pytest.mark.parametrize(("label", "index"), ORDER_INDEXES.items())
def test_the_default_order_of_every_large_changelist_is_an_index(
    superuser_client, many_rows, label, index
):
    if label == "milestones.participantmilestone" and not POSTGRESQL:
        pytest.skip("SQLite's indexes put no date first, and the order puts it last")

    plan = _plan(superuser_client, label)

    assert index in plan
    if POSTGRESQL:
        # No sort of the table; at most of rows equal in the index's columns.
        assert not re.search(r"(^|->)\s*Sort\s+\(", plan, re.MULTILINE), plan
    else:
        # (FOR RIGHT PART OF ORDER BY sorts only rows equal in the index's columns.)
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plan")
@pytest.mark.parametrize(
    "label",
    [
        "participants.participant",
        "trackers.tracker",
        "trackers.evidencedocument",
        "milestones.participantmilestone",
        "reviews.decision",
        "participants.accesslogentry",
    ],
)
@pytest.mark.parametrize("search", ["rs900001", "jt 90 00 01 a"])
def test_a_search_by_reference_or_nino_uses_the_unique_indexes(
    superuser_client, many_rows, label, search
):
    plan = _plan(superuser_client, label, q=search)

    assert "Seq Scan on participants_participant" not in plan, plan
    assert "Seq Scan on trackers_tracker" not in plan, plan
    assert "participants_participant_reference" in plan or "participant_nino_unique" in plan, plan


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plan")
def test_a_search_of_the_job_title_uses_the_trigram_index(superuser_client, many_rows):
    # A common word is found soonest by reading the order's index; a rare one from the
    # trigram index, which at this size needs the plain index scans ruled out too.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = _plan(superuser_client, "trackers.tracker", q="forklift")

    assert "tracker_description_trgm" in plan, plan


def test_the_access_logs_page_is_read_by_its_order_alone(superuser_client, many_rows):
    """No join for a planner to lead with: the page's readers and participants are read
    by key after it. Joined, SQLite with a day-old ANALYZE (the log a million rows longer
    after a day of exports) led with the readers and sorted the whole log."""
    response = superuser_client.get(reverse("admin:participants_accesslogentry_changelist"))
    cl = response.context["cl"]

    assert "JOIN" not in str(cl.queryset[: cl.list_per_page + 1].query).upper()
    page = response.content.decode()
    assert str(cl.result_list[0].participant) in page
    assert cl.result_list[0].user.username in page

"""The admin's changelists at a prime provider's scale (common/admin_lists.py): the same
queries at 1 and 3 rows, never a COUNT over the table, exact identifier searches that the
unique indexes answer, and page links that say something true about an uncounted list."""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.admin_lists import LargeTableAdmin, LargeTablePaginator
from organisations.models import Contact
from participants.models import AccessLogEntry
from reviews.models import Decision
from tests.factories import (
    AddressFactory,
    EvidenceDocumentFactory,
    OrganisationFactory,
    ParticipantFactory,
    ParticipantMilestoneFactory,
    PostcodeAddressFactory,
    TrackerFactory,
    UserFactory,
)
from trackers.admin import TrackerAdmin
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

TARGET_REFERENCE = "RS777001"
TARGET_NINO = "JT123456C"


@dataclass
class Shared:
    """Rows the listed rows hang off: one participant, so that searching for it finds
    every row of a list of its trackers, documents, milestones, decisions or reads."""

    user: object
    participant: object
    organisation: object
    tracker: object


@pytest.fixture
def shared(north, media_root):
    user = UserFactory(username="ops")
    participant = ParticipantFactory(
        team=north, reference=TARGET_REFERENCE, nino=TARGET_NINO, last_name="Target"
    )
    organisation = OrganisationFactory(owner=user, name="Acme Logistics Ltd")
    tracker = TrackerFactory(participant=participant, organisation=organisation, created_by=user)
    return Shared(user, participant, organisation, tracker)


def _tracker(s: Shared, **fields) -> Tracker:
    return TrackerFactory(
        participant=s.participant, organisation=s.organisation, created_by=s.user, **fields
    )


# For each changelist: how to add a row, a search that finds every added row (and which
# rows of the shared ones it finds too), and a filter of its list_filter, if it has one.
LISTS = {
    "participants.participant": (
        lambda s: ParticipantFactory(team=s.participant.team, last_name="Smithson"),
        "smithson",
        {"team__id__exact": "{team}"},
    ),
    "trackers.tracker": (lambda s: _tracker(s), "rs 777001", {"type__exact": "job"}),
    "trackers.evidencedocument": (
        lambda s: EvidenceDocumentFactory(tracker=s.tracker, uploaded_by=s.user),
        "jt 12 34 56 c",
        {"kind__exact": "payslip"},
    ),
    "organisations.organisation": (
        lambda s: OrganisationFactory(owner=s.user, name="Acme Foods Ltd", status="confirmed"),
        "acme foods",
        {"status__exact": "confirmed"},
    ),
    "organisations.address": (
        lambda s: AddressFactory(organisation=s.organisation, postcode="LS2 7HY"),
        "ls27hy",
        None,
    ),
    "organisations.contact": (
        lambda s: Contact.objects.create(
            organisation=s.organisation,
            name="Sam Jones",
            email="sam@example.org",
            phone="+441134960000",
            owner=s.user,
        ),
        "Sam@Example.org",
        None,
    ),
    "organisations.postcodeaddress": (
        lambda s: PostcodeAddressFactory(postcode="LS2 7HY"),
        "ls2 7hy",
        None,
    ),
    "milestones.participantmilestone": (
        lambda s: ParticipantMilestoneFactory(participant=s.participant),
        TARGET_REFERENCE.lower(),
        {"status__exact": "projected"},
    ),
    "reviews.decision": (
        lambda s: Decision.objects.create(
            tracker=_tracker(s), tracker_version=1, outcome="approved", decided_by=s.user
        ),
        TARGET_NINO,
        {"outcome__exact": "approved"},
    ),
    "participants.accesslogentry": (
        lambda s: AccessLogEntry.objects.create(
            participant=s.participant,
            user=s.user,
            kind="viewed",
            url_name="participants:detail",
            path="/participants/1/",
        ),
        TARGET_REFERENCE,
        {"kind__exact": "viewed"},
    ),
}


def test_every_admin_of_a_model_with_many_rows_is_a_large_table_admin():
    large = sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, LargeTableAdmin)
    )

    assert large == sorted(LISTS)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _variants() -> list:
    return list(_each_variant())


def _each_variant():
    for label, (_, search, filters) in LISTS.items():
        yield pytest.param(label, {}, id=f"{label}-all")
        yield pytest.param(label, {"q": search}, id=f"{label}-search")
        if filters:
            yield pytest.param(label, filters, id=f"{label}-filter")
            yield pytest.param(label, {"q": search} | filters, id=f"{label}-search-filter")


def _changelist(client, label, params, shared):
    url = reverse("admin:{}_{}_changelist".format(*label.split(".")))
    params = {k: v.format(team=shared.participant.team_id) for k, v in params.items()}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.get("Location")
    return response.context["cl"], [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(("label", "params"), _variants())
def test_changelist_makes_the_same_queries_at_1_and_3_rows_and_counts_no_table(
    superuser_client, shared, label, params
):
    add = LISTS[label][0]
    add(shared)
    one, one_queries = _changelist(superuser_client, label, params, shared)
    add(shared)
    add(shared)
    three, three_queries = _changelist(superuser_client, label, params, shared)

    # The rows were found (two more the second time), with as many queries.
    assert len(three.result_list) == len(one.result_list) + 2
    assert three.result_count == one.result_count + 2
    assert len(three_queries) == len(one_queries)
    # Every count is of at most COUNT_LIMIT + 1 rows, never of the whole table.
    counts = [sql for sql in three_queries if "COUNT(" in sql.upper()]
    assert counts, "the list is counted, up to the limit"
    assert all(re.search(r"LIMIT 1001\)", sql) for sql in counts), counts


@pytest.mark.parametrize(
    ("label", "search"),
    [
        ("participants.participant", " rs777001 "),
        ("participants.participant", "jt 12 34 56 c"),
        ("trackers.tracker", "Rs777001"),
        ("trackers.tracker", "jt123456c"),
        ("trackers.evidencedocument", "rs 777 001"),
        ("milestones.participantmilestone", "JT 123456 C"),
        ("reviews.decision", "rs777001"),
        ("participants.accesslogentry", "jt 12 34 56 c"),
    ],
)
def test_an_identifier_search_finds_exactly_the_participants_rows(
    superuser_client, shared, label, search
):
    add = LISTS[label][0]
    add(shared)
    # Another participant's rows, whose reference and NINO differ by one character.
    other = ParticipantFactory(reference="RS777002", nino="JT123456D", team=shared.participant.team)
    others = Shared(shared.user, other, shared.organisation, tracker=None)
    others.tracker = _tracker(others)
    add(others)

    cl, queries = _changelist(superuser_client, label, {"q": search}, shared)

    participants = {
        row if label == "participants.participant" else _participant_of(row)
        for row in cl.result_list
    }
    assert participants == {shared.participant}
    # Matched with "=" on the stored value, which the unique indexes answer.
    searched = [sql for sql in queries if '"reference" IN' in sql or '"nino" IN' in sql]
    assert searched
    assert not any("UPPER(" in sql for sql in searched), searched


def _participant_of(row):
    if hasattr(row, "participant"):
        return row.participant
    return row.tracker.participant


def test_a_term_no_identifier_matches_searches_the_free_text(superuser_client, shared):
    _tracker(shared, description="Fork-lift driver")

    cl, _ = _changelist(superuser_client, "trackers.tracker", {"q": "fork-lift"}, shared)

    assert [t.description for t in cl.result_list] == ["Fork-lift driver"]


def test_a_reference_typed_in_part_still_finds_the_participant(superuser_client, shared):
    cl, _ = _changelist(superuser_client, "participants.participant", {"q": "RS7770"}, shared)

    assert list(cl.result_list) == [shared.participant]


def test_an_identifier_field_with_no_free_text_field_finds_nothing_for_other_words(
    superuser_client, shared
):
    EvidenceDocumentFactory(tracker=shared.tracker, uploaded_by=shared.user)

    cl, _ = _changelist(superuser_client, "trackers.evidencedocument", {"q": "payslip"}, shared)

    assert list(cl.result_list) == []


@pytest.fixture
def small_limit(monkeypatch):
    """COUNT_LIMIT 5 and pages of 2 trackers, so that a few rows make a long list."""
    monkeypatch.setattr("common.admin_lists.COUNT_LIMIT", 5)
    monkeypatch.setattr(TrackerAdmin, "list_per_page", 2)


def _page_links(content: str) -> list[str]:
    nav = re.search(r'<nav class="paginator".*?</nav>', content, re.S).group(0)
    return re.findall(r"<li>\s*(?:<a [^>]*>)?\s*([^<\s]+)\s*(?:</a>)?\s*</li>", nav)


def test_an_uncounted_list_says_more_than_the_limit_and_links_on_to_the_next_page(
    superuser_client, shared, small_limit
):
    for _ in range(8):  # nine trackers with the shared one: five pages
        _tracker(shared)
    url = reverse("admin:trackers_tracker_changelist")

    first = superuser_client.get(url)
    fourth = superuser_client.get(url, {"p": 4})
    fifth = superuser_client.get(url, {"p": 5})
    searched = superuser_client.get(url, {"q": "warehouse"})

    assert "More than 5 trackers" in first.content.decode()
    assert _page_links(first.content.decode()) == ["1", "2", "3", "…"]
    assert len(fourth.context["cl"].result_list) == 2
    assert _page_links(fourth.content.decode()) == ["1", "2", "3", "4", "5", "…"]
    # The last page has one tracker, and no link on: there is no page after it.
    assert len(fifth.context["cl"].result_list) == 1
    assert _page_links(fifth.content.decode()) == ["1", "2", "3", "4", "5"]
    assert "More than 5 results" in searched.content.decode()


def test_a_page_past_the_end_of_an_uncounted_list_goes_back_to_the_list(
    superuser_client, shared, small_limit
):
    for _ in range(8):
        _tracker(shared)

    response = superuser_client.get(reverse("admin:trackers_tracker_changelist"), {"p": 6})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_short_list_is_counted_exactly(superuser_client, shared):
    _tracker(shared)

    response = superuser_client.get(reverse("admin:trackers_tracker_changelist"))

    assert "2 trackers" in response.content.decode()
    assert response.context["cl"].paginator.count_is_exact


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_the_whole_table_on_postgresql_is_the_planners_estimate(superuser_client, shared):
    with connection.cursor() as cursor:
        # As ANALYZE leaves it at a prime provider's (rolled back with the test).
        cursor.execute(
            "UPDATE pg_class SET reltuples = 100000 WHERE oid = 'trackers_tracker'::regclass"
        )

    cl, queries = _changelist(superuser_client, "trackers.tracker", {}, shared)
    response = superuser_client.get(reverse("admin:trackers_tracker_changelist"))

    assert cl.paginator.count_text == "About 100,000"
    assert "About 100,000 trackers" in response.content.decode()
    # One query asks for the estimate, and would count only if it were small: here
    # PostgreSQL never runs the count.
    [estimate] = [sql for sql in queries if "pg_class" in sql]
    assert [sql for sql in queries if "COUNT(" in sql.upper()] == [estimate]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {estimate}")
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert re.search(r"Aggregate \(never executed\)", plan), plan
    # A filtered list is counted up to the limit instead.
    filtered, _ = _changelist(superuser_client, "trackers.tracker", {"type__exact": "job"}, shared)
    assert filtered.paginator.count_text == "1"


def test_a_team_member_sees_only_their_teams_trackers(client, shared, south):
    theirs = _tracker(shared)
    elsewhere = TrackerFactory(participant__team=south)
    staff = UserFactory(is_staff=True, teams=[shared.participant.team])
    staff.user_permissions.add(Permission.objects.get(codename="view_tracker"))
    client.force_login(staff)

    cl, _ = _changelist(client, "trackers.tracker", {}, shared)

    assert theirs in cl.result_list
    assert elsewhere not in cl.result_list


def test_the_paginator_of_a_plain_list_counts_it():
    paginator = LargeTablePaginator(list(range(7)), 2)

    assert (paginator.count, paginator.count_text, paginator.num_pages) == (7, "7", 4)


OWN_APPS = {"participants", "trackers", "organisations", "programmes", "milestones", "reviews"}


def test_no_change_form_offers_a_select_of_a_large_table(rf):
    """Every foreign key on a change form to a model with many rows (or to staff) is an
    autocomplete, not a select of every row."""
    request = rf.get("/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    large = set(LISTS) | {"auth.user"}
    selects = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OWN_APPS or not model_admin.has_change_permission(request):
            continue  # (a form only to look at has no selects)
        shown = set(model_admin.get_fields(request)) - set(model_admin.get_readonly_fields(request))
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and field.name in shown
                and field.related_model._meta.label_lower in large
                and field.name not in model_admin.get_autocomplete_fields(request)
            ):
                selects.append(f"{model._meta.label_lower}.{field.name}")

    assert selects == [], selects

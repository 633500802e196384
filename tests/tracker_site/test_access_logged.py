"""Every URL that shows one participant's record logs the read (participants.access_log).

Each URL of the project is named below as one participant's page (and how it is logged)
or as something else; a new URL that is neither fails the first test, so it cannot be
added without deciding whether it logs.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from participants.models import AccessLogEntry
from reconciliation.models import ImportedRow
from tests.factories import (
    EvidenceDocumentFactory,
    ParticipantMilestoneFactory,
    TrackerFactory,
    UserFactory,
)
from tests.reconciliation.helpers import applied_unmatched_file

Kind = AccessLogEntry.Kind

# URL name: (its kwargs from the participant p, tracker t, document d and milestone m,
# the kind of access logged).
ONE_PARTICIPANT = {
    "participants:detail": (lambda o: {"pk": o["p"].pk}, Kind.VIEWED),
    "trackers:list": (lambda o: {"participant_pk": o["p"].pk}, Kind.VIEWED),
    "trackers:detail": (lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk}, Kind.VIEWED),
    "trackers:document_upload": (
        lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk},
        Kind.VIEWED,
    ),
    "trackers:document_download": (
        lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk, "document_pk": o["d"].pk},
        Kind.DOWNLOADED,
    ),
    "trackers:document_delete": (
        lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk, "document_pk": o["d"].pk},
        Kind.VIEWED,
    ),
    "milestones:participant_edit": (lambda o: {"pk": o["p"].pk}, Kind.VIEWED),
    "milestones:tracker_create": (lambda o: {"participant_pk": o["p"].pk}, Kind.VIEWED),
    "milestones:tracker_edit": (
        lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk},
        Kind.VIEWED,
    ),
    "milestones:tracker_end": (
        lambda o: {"participant_pk": o["p"].pk, "pk": o["t"].pk},
        Kind.VIEWED,
    ),
    "milestones:claim": (lambda o: {"pk": o["m"].pk}, Kind.VIEWED),
    "reconciliation:payments": (lambda o: {"pk": o["m"].pk}, Kind.VIEWED),
    "reconciliation:resolve_conflict": (lambda o: {"pk": o["c"].pk}, Kind.VIEWED),
    "reviews:detail": (lambda o: {"pk": o["t"].pk}, Kind.VIEWED),
    "subject_access_export": (lambda o: {"pk": o["p"].pk}, Kind.SUBJECT_ACCESS),
}

# Lists of many participants (the CSV exports log each participant: test_access_log),
# pages of no participant, and POST-only actions that redirect to a logged page.
NOT_ONE_PARTICIPANT = {
    "home", "health", "login", "logout",
    "accounts:account", "accounts:two_factor", "accounts:two_factor_setup",
    "accounts:recovery_codes", "accounts:password_change",
    "participants:list", "participants:create", "participants:import",
    "participants:import_preview", "participants:access_log",
    "milestones:list", "milestones:export", "milestones:forecast",
    # POST only; each logs the read of its milestone's participant as the claim page does.
    "milestones:claim_submit", "milestones:claim_outcome",
    "milestones:programme_list", "milestones:programme_create", "milestones:programme_edit",
    "reviews:queue", "reviews:caseload", "reviews:ready_to_claim", "reviews:claim_export",
    "reviews:claim_export_download", "reviews:mark_claimed", "reviews:samples",
    "reviews:sample_detail", "reviews:sample_item", "reviews:take", "reviews:release",
    "reviews:decide", "trackers:submit",
    # A user's own jobs; an export job logs each participant as it reads their rows.
    "jobs:list", "jobs:detail", "jobs:download",
    "reconciliation:imports", "reconciliation:upload", "reconciliation:import_detail",
    "reconciliation:queue", "reconciliation:queue_export", "reconciliation:resolve",
    "reconciliation:worklist", "reconciliation:worklist_export",
}  # fmt: skip


def url_names(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from url_names(pattern, prefix)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_url_is_known_to_log_or_not():
    names = {name for name in url_names(get_resolver()) if not name.startswith("organisations:")}

    assert names - ONE_PARTICIPANT.keys() - NOT_ONE_PARTICIPANT == set()


@pytest.fixture
def objects(north, media_root):
    document = EvidenceDocumentFactory(tracker=TrackerFactory(participant__team=north))
    participant = document.tracker.participant
    return {
        "p": participant,
        "t": document.tracker,
        "d": document,
        "m": ParticipantMilestoneFactory(participant=participant),
        "c": conflict_of(participant),
    }


def conflict_of(participant) -> ImportedRow:
    """A conflicting row of an applied DWP file, for the participant."""
    return ImportedRow.objects.create(
        notification_import=applied_unmatched_file(UserFactory()),
        line=3,
        raw={},
        state=ImportedRow.State.CONFLICT,
        participant=participant,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ONE_PARTICIPANT))
def test_participant_url_logs_who_read_it(client, objects, name):
    reader = UserFactory(username="reader", is_superuser=True)
    client.force_login(reader)
    kwargs, kind = ONE_PARTICIPANT[name]
    url = reverse(name, kwargs=kwargs(objects))

    response = client.get(url)

    assert response.status_code == 200
    assert list(
        AccessLogEntry.objects.values_list("participant", "user", "kind", "url_name", "path")
    ) == [(objects["p"].pk, reader.pk, kind, name, url)]

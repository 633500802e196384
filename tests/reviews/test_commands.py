import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reviews.models import DigestSent
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db(transaction=True)


def digest() -> str:
    out = StringIO()
    call_command("send_overdue_digest", stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue_for_priya(settings, north):
    settings.REVIEW_OVERDUE_DAYS = 10
    priya = UserFactory(
        username="priya", email="priya@example.org", role="Compliance officer", teams=[north]
    )
    long_ago = timezone.now() - datetime.timedelta(days=12)
    participant = ParticipantFactory(team=north, first_name="Sam", last_name="Jones")
    TrackerFactory(
        participant=participant,
        description="Porter",
        status="in_review",
        assignee=priya,
        submitted_at=long_ago,
    )
    TrackerFactory(
        participant=participant,
        description="Recent",
        status="in_review",
        assignee=priya,
        submitted_at=timezone.now(),
    )
    UserFactory(username="idle", email="idle@example.org", role="Compliance officer", teams=[north])
    return priya


def test_send_overdue_digest_emails_each_reviewer_their_overdue_trackers(overdue_for_priya):
    output = digest()

    assert output == "Overdue digests sent: 1.\n"
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["priya@example.org"], "1 overdue tracker to review")
    assert "- Porter for Sam Jones" in message.body
    assert "Recent" not in message.body
    assert list(DigestSent.objects.values_list("reviewer__username", "items")) == [("priya", 1)]


def test_send_overdue_digest_twice_a_day_sends_once(overdue_for_priya):
    digest()

    second = digest()

    assert second == "Overdue digests sent: 0.\n"
    assert len(mail.outbox) == 1
    assert Tracker.objects.filter(assignee=overdue_for_priya).count() == 2

"""The reviews app's scheduled tasks (``manage.py crontask`` enqueues them; a worker
runs them)."""

import logging

from crontask import cron
from django.tasks import task

from reviews.digest import send_overdue_digests

logger = logging.getLogger(__name__)


# Each weekday morning, before reviewers start.
@cron("0 7 * * Mon-Fri")
@task
def overdue_digest() -> None:
    logger.info("Overdue digests sent: %s", send_overdue_digests())

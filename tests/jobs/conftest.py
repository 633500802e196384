"""Real workers of both backends for the job tests (tests/workers.py). Without Redis
the RQ tests are skipped, or fail when REQUIRE_REDIS is set (as CI sets it)."""

import pytest

from tests.workers import BACKENDS, Workers, redis_or_skip


@pytest.fixture(params=list(BACKENDS))
def workers(request, settings, transactional_db, media_root):
    """Workers of each backend in turn; the test process enqueues to the same backend."""
    backend = request.param
    settings.TASKS = {"default": BACKENDS[backend]}
    if backend == "rq":
        redis_or_skip(settings.REDIS_URL)
        settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}}
        import django_rq

        django_rq.get_queue("default").empty()
    pool = Workers(backend, media_root)
    yield pool
    pool.stop_all()

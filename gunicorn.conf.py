"""gunicorn's configuration for production: ``gunicorn`` from the project folder reads it
(or ``gunicorn -c gunicorn.conf.py``). See the README's Deployment.

Threaded workers (gthread): each worker process serves ``threads`` requests at once, so
a request waiting on the database, the object store or clamd does not hold a whole
process. Every setting can be overridden from the environment (below) or with
``GUNICORN_CMD_ARGS``.
"""

import os

from django.db import connections


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


cores = os.cpu_count() or 1

wsgi_app = "tracker_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"

worker_class = "gthread"
# One process per core and one more (to keep the cores busy while one restarts), each
# with 4 threads: every thread holds a database connection (CONN_MAX_AGE), so PostgreSQL
# sees at most workers * threads from each app server.
workers = _int("GUNICORN_WORKERS", cores + 1)
threads = _int("GUNICORN_THREADS", 4)
# A worker whose main loop is silent this long is killed and replaced. With gthread the
# loop keeps answering while a thread works, so this catches a stuck process, not a
# slow request: long work belongs in a background job.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or deploy, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle connection is kept open for the next request. Behind a load balancer
# set it above the balancer's idle timeout (e.g. 75 behind one that waits 60), or the
# balancer may send a request down a connection gunicorn is closing.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests, so that memory a library
# keeps does not grow without bound; the jitter keeps the workers from all restarting
# at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The application is loaded once before the workers fork (less memory, and a broken
# configuration stops the master at once); the workers then open their own connections.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() in {"1", "true", "yes", "on"}
# The heartbeat file in memory: a container's overlay disk can stall it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Only the proxy in front may say which address a request came from and whether it used
# HTTPS (X-Forwarded-For, X-Forwarded-Proto). Comma-separated addresses; "*" for any.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# One line per request on stdout: the path without its query string and without the
# referring page, either of which can carry a name searched for (personal data).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
# Request lines and headers no browser of ours sends; refuse anything larger.
limit_request_line = 4094
limit_request_fields = 100


def post_fork(server, worker) -> None:
    """A worker must not share the master's database connections (preload_app): close
    any that loading the application opened, so each thread opens its own."""
    if server.cfg.preload_app:
        connections.close_all()

"""The project's settings with the benchmark's URLs (the floor page and a default admin),
for the in-process measurements and for gunicorn in the load run alike."""

from tracker_site.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

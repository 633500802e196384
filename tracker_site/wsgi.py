"""WSGI entry point, for gunicorn: ``gunicorn tracker_site.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker_site.settings")
application = get_wsgi_application()

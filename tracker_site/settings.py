"""Settings for the job outcome tracker, configured from the environment.

See the README for each variable. Defaults suit a developer's machine: SQLite in the
project folder and private media under ``media/``.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # manage.py may run without one (migrations, checks on a developer's machine); the
    # web server (wsgi/asgi) may not, unless DEBUG is on.
    if not (DEBUG or env_bool("MANAGEMENT_COMMAND", False)):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 on a developer's machine).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phonenumber_field",
    "simple_history",
    "django_tasks_db",
    "django_rq",
    "crontask",
    # The project's layers, from the bottom (see the README's Layout).
    "common",
    "jobs",
    "organisations",
    "programmes",
    "participants",
    "trackers",
    "milestones",
    "reviews",
    "reconciliation",
    "tracker_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "common.front_end.FrontEndRoleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "common.middleware.htmx_login_redirect",
    "common.middleware.session_limits",
    "tracker_site.accounts.middleware.TwoFactorMiddleware",
    "common.middleware.no_store_when_signed_in",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker_site.urls"
WSGI_APPLICATION = "tracker_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker_site.navigation.section",
                "tracker_site.accounts.context_processors.two_factor_pending",
            ],
        },
    },
]
FORM_RENDERER = "common.forms.FormRenderer"

# Each thread of a gunicorn worker keeps its own connection for DATABASE_CONN_MAX_AGE
# seconds (0: a new one per request), checked before reuse so that a connection the
# server dropped is replaced rather than failing the request. A PostgreSQL server needs
# max_connections above workers * threads of every app server, plus the job workers.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not memory, so that concurrent writers wait as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"tracker-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in attempts (django-axes): after 10 failures for one username, whether from one
# address or spread over many, the account's sign-in is paused for 30 minutes (a
# supervisor can lift it in admin, Access attempts); other users are unaffected. The
# second step has its own throttle: each wrong code doubles django-otp's wait.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (an authenticator app, or a recovery code) for every member of
# staff: required unless TWO_FACTOR_REQUIRED=0, which only the demo's DEBUG defaults to.
# In the demo anyone may still set it up from their account page.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Job outcome tracker"

LOGIN_URL = "login"
# Staff without it (the Data fix role) have only the admin (common/front_end.py).
FRONT_END_PERMISSION = "reviews.use_front_end"
LOGIN_REDIRECT_URL = "participants:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Evidence files (and every other stored file) are private: only served by views that
# check permissions, and reached only through the storage API. STORAGE_BACKEND chooses
# where they live: "local", a folder outside the web root (MEDIA_ROOT; no URL pattern
# serves MEDIA_URL, set only because Django's tooling expects a value), or "s3", a
# private bucket of AWS S3 or any S3-compatible store (common/storage.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
if STORAGE_BACKEND == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET.")
    DEFAULT_STORAGE = {
        "BACKEND": "common.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            # Empty: AWS itself; otherwise the store's address (MinIO, Ceph, a cloud's).
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Without keys boto3 looks for its own (AWS_* variables, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_KEY_PREFIX", "").strip("/"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND is local or s3, not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Security headers and cookies.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Pages send the CSRF token in a header from the page (hx-headers), so no script needs
# the cookie. Over HTTPS the __Host- prefix keeps the cookies to this host and path.
CSRF_COOKIE_HTTPONLY = True
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# A session ends after 30 minutes unused, and 12 hours after signing in whatever
# (common.middleware.session_limits); the cookie lasts until the browser closes.
SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# In production (README, Deployment): SECURE_SSL_REDIRECT=1, SECURE_HSTS_SECONDS=31536000
# and SECURE_HSTS_PRELOAD=1, with which `check --deploy --fail-level WARNING` passes.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
    "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
    "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Participant import files may be large; uploads above this spool to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

PHONENUMBER_DEFAULT_REGION = "GB"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Address finder: "local" (addresses already recorded plus the imported address file) or
# "http" (a commercial UK address API in the style of getAddress.io's find endpoint).
ADDRESS_FINDER = {
    "BACKEND": os.environ.get("ADDRESS_FINDER", "local"),
    "URL": os.environ.get("ADDRESS_FINDER_URL", ""),
    "KEY": os.environ.get("ADDRESS_FINDER_KEY", ""),
    "TIMEOUT": float(os.environ.get("ADDRESS_FINDER_TIMEOUT", "3")),
}

# --- Virus scanning of evidence uploads (common/virus_scan.py) -------------------------
# Every evidence file is streamed to ClamAV's clamd before it is kept: CLAMAV_SOCKET (a
# unix socket path) or CLAMAV_HOST and CLAMAV_PORT say where it listens. With neither
# (the development default) files are not scanned; with either, a clamd that cannot be
# reached or answers with an error refuses the upload. Production runs clamd with the
# official signatures, kept up to date by freshclam.
CLAMAV = {
    "SOCKET": os.environ.get("CLAMAV_SOCKET", ""),
    "HOST": os.environ.get("CLAMAV_HOST", ""),
    "PORT": int(os.environ.get("CLAMAV_PORT", "3310")),
    # Seconds to wait for clamd to answer; a 10 MB file takes well under one.
    "TIMEOUT": int(os.environ.get("CLAMAV_TIMEOUT", "30")),
}
# --- end of virus scanning -----------------------------------------------------------

# Email: the console in development; SMTP by configuration (README).
if env_bool("EMAIL_CONSOLE", DEBUG):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")
# The address emails link to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The compliance review: a tracker New or In review for longer than this is overdue.
REVIEW_OVERDUE_DAYS = int(os.environ.get("REVIEW_OVERDUE_DAYS", "10"))

# Reconciliation with DWP (reconciliation.comparison): DWP's date later than the
# projection by more than this is "late"; a milestone projected Achieved with no DWP
# notification this long after is "missing" (61 days: DWP's allowance for late HMRC data).
DWP_LATE_WEEKS = int(os.environ.get("DWP_LATE_WEEKS", "8"))
DWP_MISSING_DAYS = int(os.environ.get("DWP_MISSING_DAYS", "61"))
# A DWP file of more rows than this is applied by a background job, with its progress
# shown, rather than in the request that confirms it (reconciliation.tasks).
DWP_BACKGROUND_ROWS = int(os.environ.get("DWP_BACKGROUND_ROWS", "2000"))

# Rows per page in lists; never more, whatever a request asks for.
PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The schedule's clock logs every few seconds at INFO (its lock, each trigger).
    "loggers": {"apscheduler": {"level": "WARNING"}},
}

# UK GDPR storage limitation: a participant's records are purged this many months after
# live interest in them ended (tracker_site.privacy.retention; DWP's rule is 24).
PARTICIPANT_RETENTION_MONTHS = int(os.environ.get("PARTICIPANT_RETENTION_MONTHS", "24"))
# Uploaded referral files (their text is kept for the preview) are ephemeral: 4 weeks.
PARTICIPANT_IMPORT_RETENTION_DAYS = int(os.environ.get("PARTICIPANT_IMPORT_RETENTION_DAYS", "28"))

# --- Background jobs (django.tasks; jobs/) -------------------------------------------
# TASK_BACKEND=database (the default): tasks are rows in this database, run by
# `manage.py db_worker`. TASK_BACKEND=rq: tasks go to Redis (REDIS_URL), run by
# `manage.py rqworker`, for deployments whose workers are on other machines.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("TASK_BACKEND must be database or rq.")
# django-rq (the RQ worker's command) reads its queues whichever backend is chosen.
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# Not in the admin: jobs are followed on their own pages, and data-fix staff have no use
# for a queue's internals (the database backend's results are in the admin already).
RQ_SHOW_ADMIN_LINK = False
# A running job whose heartbeat is older than this lost its worker: it is queued again,
# up to JOBS_MAX_ATTEMPTS attempts in all (jobs.services.requeue_stale_jobs).
JOBS_STALE_AFTER_SECONDS = int(os.environ.get("JOBS_STALE_AFTER_SECONDS", "300"))
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "3"))
# The schedule (`manage.py crontask`, schedules beside each task in <app>/tasks.py):
# with RQ, a lock in Redis keeps to one scheduler however many machines start one.
CRONTASK = {"REDIS_URL": REDIS_URL if TASK_BACKEND == "rq" else None}

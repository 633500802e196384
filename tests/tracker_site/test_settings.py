import os
import subprocess
import sys

import pytest
from django.conf import settings

SETUP = "import django; django.setup(); print('started')"


def run_python(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "MANAGEMENT_COMMAND")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "tracker_site.settings"}
    env |= {k: v for k, v in env_changes.items() if v is not None}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_web_server_without_secret_key_refuses_to_start():
    result = run_python({})

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_management_commands_start_without_secret_key():
    result = run_python({"MANAGEMENT_COMMAND": "1"})

    assert result.stdout.strip() == "started"


def test_web_server_with_secret_key_starts():
    result = run_python({"SECRET_KEY": "a-real-secret"})

    assert result.stdout.strip() == "started"


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-4f9Qx2Lm8Vb7Kp3Zr6Tn1Wc5",
    "ALLOWED_HOSTS": "tracker.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_the_deployment_checklist_passes_with_production_settings():
    # (The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a server has none.)
    unset = ("DEBUG", "MANAGEMENT_COMMAND", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env | PRODUCTION,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_host_only_and_out_of_scripts_reach():
    shown = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, "
        "s.TWO_FACTOR_REQUIRED)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TWO_FACTOR_REQUIRED")}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"{SETUP}; {shown}"],
        cwd=settings.BASE_DIR,
        env=env | PRODUCTION | {"DJANGO_SETTINGS_MODULE": "tracker_site.settings"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == [
        "started",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
    ]


STORAGE_VARIABLES = ("STORAGE_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_KEY_PREFIX")
STORAGE_IN_USE = (
    "from django.core.files.storage import storages; "
    "print(type(storages['default']).__module__, type(storages['default']).__name__)"
)


def run_with_storage(code: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the code once settings are loaded from this environment, with no storage
    variables but its own."""
    unset = ("DEBUG", "MANAGEMENT_COMMAND", *STORAGE_VARIABLES)
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"SECRET_KEY": "a-real-secret", "DJANGO_SETTINGS_MODULE": "tracker_site.settings"}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"{SETUP}; {code}"],
        cwd=settings.BASE_DIR,
        env=env | environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_storage_backend_s3_stores_in_the_bucket_the_environment_names(s3_bucket, s3_server):
    save = (
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage; "
        "print(default_storage.save('evidence/from-env', ContentFile(b'stored')))"
    )
    environment = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": s3_bucket.name,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "eu-west-2",
        "S3_ACCESS_KEY_ID": "test-access-key",
        "S3_SECRET_ACCESS_KEY": "test-secret-key",
        "S3_KEY_PREFIX": "/provider-a/",
    }

    result = run_with_storage(f"{STORAGE_IN_USE}; {save}", environment)

    assert result.stdout.split() == [
        "started",
        "common.storage",
        "PrivateS3Storage",
        "evidence/from-env",
    ], result.stderr
    assert s3_bucket.keys() == ["provider-a/evidence/from-env"]
    assert s3_bucket.read("provider-a/evidence/from-env") == b"stored"


def test_storage_is_the_local_private_folder_by_default():
    result = run_with_storage(STORAGE_IN_USE, {})

    assert result.stdout.split() == [
        "started",
        "django.core.files.storage.filesystem",
        "FileSystemStorage",
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs S3_BUCKET."),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND is local or s3, not 'ftp'."),
    ],
)
def test_storage_backend_misconfigured_refuses_to_start(environment, message):
    result = run_with_storage("", environment)

    assert result.returncode != 0
    assert message in result.stderr

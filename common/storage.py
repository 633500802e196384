"""Private object storage: S3-compatible buckets for evidence and every other stored file.

``settings.STORAGES["default"]`` is this backend when ``STORAGE_BACKEND=s3`` (the README's
Deployment), and the local private media folder otherwise. Either way files are reached
only through Django's storage API (open, save, delete, exists), never a path on disk,
and served only by permission-checked views.

Whatever the configuration says, what this backend stores stays private: it sends no
ACL (the bucket's own, private, applies), refuses to be configured with a public one,
never overwrites a stored file, and gives no URL, signed or not, since a URL would let
its holder download the file without the team check and the access log. Failures of the
object store are raised as ``StorageUnavailable``, an ``OSError`` like a full disk, so
callers handle both the same way.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

# ACLs under which only the bucket's owner can read an object.
PRIVATE_ACLS = {None, "", "private", "bucket-owner-full-control"}


class StorageUnavailable(OSError):
    """The object store could not be reached, or refused a request."""


@contextmanager
def _as_os_errors(action: str, name: str) -> Iterator[None]:
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise StorageUnavailable(f"Could not {action} {name} in object storage: {error}") from error


class PrivateS3Storage(S3Storage):
    """An S3 bucket (AWS, or any S3-compatible store) holding private files."""

    # A file read from the bucket spools to a temporary file past 2 MB instead of filling
    # the worker's memory (django-storages' default keeps every byte of it in memory).
    max_memory_size = 2 * 1024 * 1024
    # Never replace a stored file with another of the same name.
    file_overwrite = False

    def __init__(self, **options) -> None:
        super().__init__(**options)
        acl = self.object_parameters.get("ACL", self.default_acl)
        if acl not in PRIVATE_ACLS:
            raise ImproperlyConfigured(
                f"Stored files must stay private: the ACL {acl!r} is not allowed."
            )
        if self.file_overwrite:
            raise ImproperlyConfigured("Stored files must never be overwritten.")
        if "client_config" not in options:
            # A store that does not answer fails the request in seconds, not minutes.
            self.client_config = Config(
                s3={"addressing_style": self.addressing_style},
                signature_version=self.signature_version,
                proxies=self.proxies,
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            )

    def _open(self, name, mode="rb"):
        with _as_os_errors("read", name):
            file = super()._open(name, mode)
            if "r" in mode:
                # Fetch it now, so that a store failing part-way fails here, not in the
                # middle of whatever reads it.
                file.file  # noqa: B018
            return file

    def _save(self, name, content):
        with _as_os_errors("store", name):
            return super()._save(name, content)

    def delete(self, name) -> None:
        with _as_os_errors("delete", name):
            super().delete(name)

    def exists(self, name) -> bool:
        with _as_os_errors("look for", name):
            return super().exists(name)

    def size(self, name) -> int:
        with _as_os_errors("measure", name):
            return super().size(name)

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        raise NotImplementedError(
            "Stored files have no URL: serve them through a view that checks permissions."
        )

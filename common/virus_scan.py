"""Virus scanning with ClamAV: files are streamed to a clamd, which names what it finds.

``settings.CLAMAV`` says where clamd listens: SOCKET (a unix socket path), or HOST and
PORT. With neither, nothing is scanned (a developer's machine). With either, a clamd that
cannot be reached, times out or answers with an error raises ScanUnavailable: callers
refuse the file rather than keep it unscanned (they fail closed).
"""

from typing import BinaryIO

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings


class ScanUnavailable(Exception):
    """clamd is configured but could not scan the file."""


def is_configured() -> bool:
    return bool(settings.CLAMAV["SOCKET"] or settings.CLAMAV["HOST"])


def _client() -> ClamdUnixSocket | ClamdNetworkSocket:
    config = settings.CLAMAV
    if config["SOCKET"]:
        return ClamdUnixSocket(path=config["SOCKET"], timeout=config["TIMEOUT"])
    return ClamdNetworkSocket(host=config["HOST"], port=config["PORT"], timeout=config["TIMEOUT"])


def find_malware(file: BinaryIO) -> str | None:
    """The name of the signature clamd finds in the file (read from where it is now), or
    None when it finds none or scanning is not configured.

    Raises ScanUnavailable when clamd is configured but gives no clear answer.
    """
    if not is_configured():
        return None
    try:
        report = _client().instream(file)
    except (ClamdError, OSError, ValueError) as error:
        raise ScanUnavailable(str(error) or type(error).__name__) from error
    status, signature = report.get("stream", (None, None))
    if status == "FOUND":
        return signature
    if status == "OK":
        return None
    raise ScanUnavailable(f"clamd answered {report!r}")

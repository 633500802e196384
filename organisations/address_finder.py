"""The address finder: a postcode in, candidate addresses out (DESIGN.md §5).

Two backends share one small interface, ``find(postcode) -> list[CandidateAddress]``, and
``settings.ADDRESS_FINDER`` chooses between them: the local one (the default) looks in the
addresses already recorded and the imported address file; the HTTP one asks a commercial
UK address API in the style of getAddress.io. A backend that cannot answer raises
``AddressFinderUnavailable``, and the caller lets staff type the address by hand.
"""

import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from http.client import HTTPException
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.uk import POSTCODE_RE, normalise_postcode
from organisations.models import Address, PostcodeAddress

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 100
MAX_RESPONSE_BYTES = 1024 * 1024

_FIELDS = ("line_1", "line_2", "line_3", "town", "county", "postcode")


@dataclass(frozen=True)
class CandidateAddress:
    line_1: str
    line_2: str = ""
    line_3: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""

    @property
    def label(self) -> str:
        """One line to choose from: "1 High Street, Leeds, LS1 4AP" (no county)."""
        parts = [self.line_1, self.line_2, self.line_3, self.town, self.postcode]
        return ", ".join(part for part in parts if part)


class AddressFinderUnavailable(Exception):
    """The backend could not answer; the message is safe to show to staff."""

    def __init__(
        self,
        message: str = "The address finder is not available at the moment; "
        "enter the address by hand.",
    ) -> None:
        super().__init__(message)


class AddressFinder(Protocol):
    def find(self, postcode: str) -> list[CandidateAddress]: ...


def _real_postcode(value: str) -> str | None:
    postcode = normalise_postcode(value)
    return postcode if POSTCODE_RE.match(postcode) else None


def _natural_key(text: str) -> list[int | str]:
    # re.split with a group alternates text and digits, so ints and strs never meet.
    parts = re.split(r"([0-9]+)", text.casefold())
    return [int(part) if index % 2 else part for index, part in enumerate(parts)]


def _same_address_key(address: CandidateAddress) -> tuple[str, ...]:
    lines = (address.line_1, address.line_2, address.line_3, address.town, address.postcode)
    return tuple(" ".join(line.split()).casefold() for line in lines)


class LocalAddressFinder:
    """Addresses already recorded against organisations, plus the imported address file."""

    # A postcode has at most a few hundred delivery points; this bounds a bad import.
    SCAN_LIMIT = 1000

    def find(self, postcode: str) -> list[CandidateAddress]:
        postcode = _real_postcode(postcode)
        if postcode is None:
            return []
        # The address file comes first, so its spelling wins over a recorded duplicate.
        rows = [
            *self._rows(PostcodeAddress.objects.filter(postcode=postcode)),
            *self._rows(Address.objects.filter(postcode=postcode)),
        ]
        distinct = {}
        for row in rows:
            address = CandidateAddress(*row)
            distinct.setdefault(_same_address_key(address), address)
        ordered = sorted(
            distinct.values(),
            key=lambda address: (_natural_key(address.line_1), _natural_key(address.label)),
        )
        return ordered[:MAX_CANDIDATES]

    def _rows(self, queryset) -> list[tuple[str, ...]]:
        return list(queryset.order_by(*_FIELDS).values_list(*_FIELDS).distinct()[: self.SCAN_LIMIT])


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """The key travels in the URL, so it must never follow a redirect to another host."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


class HttpAddressFinder:
    """A getAddress.io-style API: ``GET {base_url}/find/{postcode}?api-key=…&expand=true``.

    ``timeout`` bounds each network wait, and reading the body must also finish within it,
    so a call takes at most about twice ``timeout``.
    """

    def __init__(self, base_url: str, api_key: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ImproperlyConfigured(
                "ADDRESS_FINDER_URL must be the API's http(s) base URL, like "
                "https://api.getAddress.io."
            )
        if not api_key:
            raise ImproperlyConfigured("ADDRESS_FINDER_KEY must be set for the HTTP backend.")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_RefuseRedirects)

    def __repr__(self) -> str:
        return f"HttpAddressFinder({self.base_url!r}, timeout={self.timeout})"

    def find(self, postcode: str) -> list[CandidateAddress]:
        postcode = _real_postcode(postcode)
        if postcode is None:
            return []
        query = urllib.parse.urlencode(
            {"api-key": self.api_key, "expand": "true"}, quote_via=urllib.parse.quote
        )
        outward_inward = urllib.parse.quote(postcode.replace(" ", ""), safe="")
        request = urllib.request.Request(  # noqa: S310 (__init__ allows only http and https)
            f"{self.base_url}/find/{outward_inward}?{query}",
            headers={"Accept": "application/json"},
        )
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = _read_body(response, deadline)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == HTTPStatus.NOT_FOUND:
                return []
            logger.warning("The address API answered HTTP %s.", error.code)
            raise AddressFinderUnavailable() from None
        except (OSError, HTTPException) as error:
            # Log the kind of failure only: the exception may carry the URL, and the key.
            reason = getattr(error, "reason", None)
            failure = reason if isinstance(reason, BaseException) else error
            logger.warning("The address API did not answer: %s.", type(failure).__name__)
            raise AddressFinderUnavailable() from None
        return _parse_find_response(body)


def _read_body(response, deadline: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise HTTPException(f"response larger than {MAX_RESPONSE_BYTES} bytes")
        if time.monotonic() > deadline:
            raise TimeoutError("response too slow")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_find_response(body: bytes) -> list[CandidateAddress]:
    try:
        data = json.loads(body)
        postcode = normalise_postcode(_text(data, "postcode", required=True))
        items = data["addresses"]
        if not isinstance(items, list):
            raise TypeError("addresses is not a list")
        return [_candidate(item, postcode) for item in items[:MAX_CANDIDATES]]
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("The address API sent a malformed response: %s.", type(error).__name__)
        raise AddressFinderUnavailable() from None


def _text(item: object, key: str, *, required: bool = False) -> str:
    if not isinstance(item, dict):
        raise TypeError("expected an object")
    value = item[key] if required else item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text")
    return " ".join(value.split())


def _candidate(item: object, postcode: str) -> CandidateAddress:
    line_1 = _text(item, "line_1", required=True)
    line_2 = _text(item, "line_2")
    town = _text(item, "town_or_city", required=True)
    # The API has five lines to our three: fold line 4 and the locality into line 3,
    # leaving out any that repeat a line already there.
    seen = {line.casefold() for line in (line_1, line_2, town) if line}
    line_3_parts = []
    for part in (_text(item, "line_3"), _text(item, "line_4"), _text(item, "locality")):
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            line_3_parts.append(part)
    return CandidateAddress(
        line_1=line_1,
        line_2=line_2,
        line_3=", ".join(line_3_parts),
        town=town,
        county=_text(item, "county"),
        postcode=postcode,
    )


def get_address_finder() -> AddressFinder:
    """The backend that ``settings.ADDRESS_FINDER`` names."""
    config = settings.ADDRESS_FINDER
    match config["BACKEND"]:
        case "local":
            return LocalAddressFinder()
        case "http":
            return HttpAddressFinder(config["URL"], config["KEY"], config["TIMEOUT"])
    raise ImproperlyConfigured(
        f"ADDRESS_FINDER must be 'local' or 'http', not {config['BACKEND']!r}."
    )

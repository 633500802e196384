import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from organisations.address_finder import (
    AddressFinderUnavailable,
    CandidateAddress,
    HttpAddressFinder,
    LocalAddressFinder,
    get_address_finder,
)
from tests.factories import AddressFactory, PostcodeAddressFactory

API_KEY = "secret-key"
UNAVAILABLE = "The address finder is not available at the moment; enter the address by hand."


def test_candidate_address_label_leaves_out_empty_lines_and_county():
    address = CandidateAddress(
        line_1="1 High Street", town="Leeds", county="West Yorkshire", postcode="LS1 4AP"
    )

    assert address.label == "1 High Street, Leeds, LS1 4AP"


# Local backend


@pytest.mark.django_db
def test_local_find_merges_recorded_and_imported_addresses_without_duplicates():
    AddressFactory(line_1="10 High Street", county="West Yorkshire")
    AddressFactory(line_1="Unit 3", line_2="Tower Works", town="Leeds")
    AddressFactory(line_1="unit 3 ", line_2="TOWER WORKS", town="leeds")
    PostcodeAddressFactory(line_1="2 High Street")
    PostcodeAddressFactory(line_1="10 HIGH STREET")
    AddressFactory(line_1="1 Other Street", postcode="LS2 7EY")

    candidates = LocalAddressFinder().find("LS1 4AP")

    assert candidates == [
        CandidateAddress(line_1="2 High Street", town="Leeds", postcode="LS1 4AP"),
        CandidateAddress(line_1="10 HIGH STREET", town="Leeds", postcode="LS1 4AP"),
        CandidateAddress(line_1="Unit 3", line_2="Tower Works", town="Leeds", postcode="LS1 4AP"),
    ]


@pytest.mark.django_db
def test_local_find_sorts_numbers_in_line_1_naturally():
    for line_1 in ["10 Park Row", "Flat 2", "2 Park Row", "1A Park Row", "Flat 10", "1 Park Row"]:
        PostcodeAddressFactory(line_1=line_1)

    candidates = LocalAddressFinder().find("LS1 4AP")

    assert [candidate.line_1 for candidate in candidates] == [
        "1 Park Row",
        "1A Park Row",
        "2 Park Row",
        "10 Park Row",
        "Flat 2",
        "Flat 10",
    ]


@pytest.mark.django_db
def test_local_find_accepts_a_lower_case_postcode_without_its_space():
    PostcodeAddressFactory(line_1="1 Park Row")

    candidates = LocalAddressFinder().find(" ls14ap ")

    assert candidates == [CandidateAddress(line_1="1 Park Row", town="Leeds", postcode="LS1 4AP")]


@pytest.mark.django_db
def test_local_find_returns_at_most_100_addresses():
    for number in range(1, 106):
        PostcodeAddressFactory(line_1=f"{number} Park Row")

    candidates = LocalAddressFinder().find("LS1 4AP")

    assert [candidate.line_1 for candidate in candidates] == [
        f"{number} Park Row" for number in range(1, 101)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["", "LS1", "not a postcode", "QW1 1AA"])
def test_local_find_with_an_invalid_postcode_returns_nothing(postcode, django_assert_num_queries):
    PostcodeAddressFactory()

    with django_assert_num_queries(0):
        candidates = LocalAddressFinder().find(postcode)

    assert candidates == []


@pytest.mark.django_db
def test_local_find_with_an_unknown_postcode_returns_nothing():
    PostcodeAddressFactory(postcode="LS1 4AP")

    candidates = LocalAddressFinder().find("SW1A 1AA")

    assert candidates == []


# HTTP backend, against a real HTTP server on 127.0.0.1


@dataclass
class FakeAddressApi:
    """What the fake API answers next, and the request paths it has seen."""

    url: str = ""
    status: int = 200
    body: bytes = b""
    delay: float = 0
    trickle: bool = False
    location: str = ""
    paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, status: int, payload: object = None, *, body: bytes | None = None) -> None:
        self.status = status
        self.body = json.dumps(payload).encode() if body is None else body


@pytest.fixture
def address_api(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy in the environment must not intercept
    api = FakeAddressApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            api.paths.append(self.path)
            api.release.wait(api.delay)
            try:
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(api.body)))
                if api.location:
                    self.send_header("Location", api.location)
                self.end_headers()
                if api.trickle:
                    for byte in api.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        api.release.wait(0.05)
                else:
                    self.wfile.write(api.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the finder gave up waiting, as it should

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_port}"
    yield api
    api.release.set()
    server.shutdown()
    server.server_close()


def getaddress_response(*addresses: dict) -> dict:
    blank = dict.fromkeys(
        ["line_1", "line_2", "line_3", "line_4", "locality", "town_or_city", "county"], ""
    )
    return {
        "postcode": "LS1 4AP",
        "latitude": 53.79,
        "longitude": -1.55,
        "addresses": [
            blank | address | {"formatted_address": [address.get("line_1", "")]}
            for address in addresses
        ],
    }


def test_http_find_maps_the_api_addresses(address_api):
    address_api.answer(
        200,
        getaddress_response(
            {"line_1": "1 High Street", "town_or_city": "Leeds", "county": "West Yorkshire"},
            {
                "line_1": "Unit 3",
                "line_2": "Tower Works",
                "line_4": "Holbeck",
                "locality": "Holbeck Urban Village",
                "town_or_city": "Leeds",
            },
            {
                "line_1": "Flat 2",
                "line_2": "Park House",
                "line_3": "Park Row",
                "line_4": "Leeds",
                "locality": "Park Row",
                "town_or_city": "Leeds",
            },
        ),
    )
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    candidates = finder.find("ls14ap")

    assert candidates == [
        CandidateAddress(
            line_1="1 High Street", town="Leeds", county="West Yorkshire", postcode="LS1 4AP"
        ),
        CandidateAddress(
            line_1="Unit 3",
            line_2="Tower Works",
            line_3="Holbeck, Holbeck Urban Village",
            town="Leeds",
            postcode="LS1 4AP",
        ),
        CandidateAddress(
            line_1="Flat 2",
            line_2="Park House",
            line_3="Park Row",
            town="Leeds",
            postcode="LS1 4AP",
        ),
    ]
    assert address_api.paths == ["/find/LS14AP?api-key=secret-key&expand=true"]


def test_http_find_quotes_the_key_and_keeps_the_base_path(address_api):
    address_api.answer(200, getaddress_response())
    finder = HttpAddressFinder(f"{address_api.url}/v2/", "a&b=c/d e", timeout=2)

    candidates = finder.find("SW1A 1AA")

    assert candidates == []
    assert address_api.paths == ["/v2/find/SW1A1AA?api-key=a%26b%3Dc%2Fd%20e&expand=true"]


def test_http_find_with_no_addresses_returns_nothing(address_api):
    address_api.answer(200, getaddress_response())
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    candidates = finder.find("LS1 4AP")

    assert candidates == []


def test_http_find_for_an_unknown_postcode_404_returns_nothing(address_api):
    address_api.answer(404, {"Message": "Not Found"})
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    candidates = finder.find("LS1 4AP")

    assert candidates == []
    assert address_api.paths == ["/find/LS14AP?api-key=secret-key&expand=true"]


def test_http_find_with_an_invalid_postcode_returns_nothing_without_calling_the_api(
    address_api,
):
    address_api.answer(200, getaddress_response({"line_1": "1 High Street", "town_or_city": "X"}))
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    candidates = finder.find("not a postcode")

    assert candidates == []
    assert address_api.paths == []


@pytest.mark.parametrize("status", [500, 502, 503, 401, 403, 429, 400, 301])
def test_http_find_when_the_api_refuses_is_unavailable_and_logs_no_key(address_api, status, caplog):
    address_api.answer(status, {"Message": "No"})
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    with pytest.raises(AddressFinderUnavailable) as raised:
        finder.find("LS1 4AP")

    assert str(raised.value) == UNAVAILABLE
    assert [record.getMessage() for record in caplog.records] == [
        f"The address API answered HTTP {status}."
    ]
    assert API_KEY not in caplog.text


def test_http_find_does_not_follow_a_redirect_which_would_resend_the_key(address_api, caplog):
    address_api.answer(302, {})
    address_api.location = "/elsewhere"
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    with pytest.raises(AddressFinderUnavailable):
        finder.find("LS1 4AP")

    assert address_api.paths == ["/find/LS14AP?api-key=secret-key&expand=true"]
    assert [record.getMessage() for record in caplog.records] == [
        "The address API answered HTTP 302."
    ]


def test_http_find_when_the_api_is_slow_gives_up_after_the_timeout(address_api, caplog):
    address_api.answer(200, getaddress_response())
    address_api.delay = 5
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=0.2)
    started = time.monotonic()

    with pytest.raises(AddressFinderUnavailable):
        finder.find("LS1 4AP")

    assert time.monotonic() - started < 1
    assert [record.getMessage() for record in caplog.records] == [
        "The address API did not answer: TimeoutError."
    ]


def test_http_find_when_the_response_trickles_in_gives_up_after_the_timeout(address_api):
    address_api.answer(200, getaddress_response({"line_1": "1 High St", "town_or_city": "Leeds"}))
    address_api.trickle = True
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=0.2)
    started = time.monotonic()

    with pytest.raises(AddressFinderUnavailable):
        finder.find("LS1 4AP")

    assert time.monotonic() - started < 1


def test_http_find_when_nothing_listens_is_unavailable(caplog):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        finder = HttpAddressFinder(
            f"http://127.0.0.1:{unused.getsockname()[1]}", API_KEY, timeout=2
        )

        with pytest.raises(AddressFinderUnavailable):
            finder.find("LS1 4AP")

    assert [record.getMessage() for record in caplog.records] == [
        "The address API did not answer: ConnectionRefusedError."
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"postcode": "LS1 4AP", "addresses": [',
        b"[]",
        b'{"postcode": "LS1 4AP"}',
        b'{"addresses": []}',
        b'{"postcode": "LS1 4AP", "addresses": {}}',
        b'{"postcode": "LS1 4AP", "addresses": ["1 High Street"]}',
        b'{"postcode": "LS1 4AP", "addresses": [{"line_1": "1 High Street"}]}',
        b'{"postcode": "LS1 4AP", "addresses": [{"line_1": 1, "town_or_city": "Leeds"}]}',
        b"\xff\xfe",
    ],
)
def test_http_find_with_a_malformed_response_is_unavailable(address_api, body, caplog):
    address_api.answer(200, body=body)
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    with pytest.raises(AddressFinderUnavailable):
        finder.find("LS1 4AP")

    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("The address API sent a malformed response")


def test_http_find_with_a_response_over_1_mb_is_unavailable(address_api, caplog):
    address_api.answer(200, body=b'{"postcode": "' + b" " * (1024 * 1024) + b'"}')
    finder = HttpAddressFinder(address_api.url, API_KEY, timeout=2)

    with pytest.raises(AddressFinderUnavailable):
        finder.find("LS1 4AP")

    assert [record.getMessage() for record in caplog.records] == [
        "The address API did not answer: HTTPException."
    ]


@pytest.mark.parametrize("url", ["", "api.getaddress.io", "file:///etc/passwd", "https://"])
def test_http_address_finder_with_a_bad_url_is_improperly_configured(url):
    with pytest.raises(ImproperlyConfigured):
        HttpAddressFinder(url, API_KEY, timeout=2)


def test_http_address_finder_without_a_key_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured):
        HttpAddressFinder("https://api.getaddress.io", "", timeout=2)


# Choosing the backend


def test_get_address_finder_is_local_by_default(settings):
    settings.ADDRESS_FINDER = {"BACKEND": "local", "URL": "", "KEY": "", "TIMEOUT": 3.0}

    finder = get_address_finder()

    assert type(finder) is LocalAddressFinder


def test_get_address_finder_http_uses_the_configured_api(settings, address_api):
    address_api.answer(200, getaddress_response({"line_1": "1 High St", "town_or_city": "Leeds"}))
    settings.ADDRESS_FINDER = {
        "BACKEND": "http",
        "URL": address_api.url,
        "KEY": API_KEY,
        "TIMEOUT": 1.5,
    }

    finder = get_address_finder()

    assert (type(finder), finder.base_url, finder.api_key, finder.timeout) == (
        HttpAddressFinder,
        address_api.url,
        API_KEY,
        1.5,
    )
    assert finder.find("LS1 4AP") == [
        CandidateAddress(line_1="1 High St", town="Leeds", postcode="LS1 4AP")
    ]
    assert API_KEY not in repr(finder)


def test_get_address_finder_with_an_unknown_backend_is_improperly_configured(settings):
    settings.ADDRESS_FINDER = {"BACKEND": "postcodes.io", "URL": "", "KEY": "", "TIMEOUT": 3.0}

    with pytest.raises(ImproperlyConfigured) as raised:
        get_address_finder()

    assert str(raised.value) == "ADDRESS_FINDER must be 'local' or 'http', not 'postcodes.io'."


def test_address_finder_unavailable_message_is_fit_for_staff():
    error = AddressFinderUnavailable()

    assert str(error) == UNAVAILABLE

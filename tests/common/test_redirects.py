import pytest
from django.test import RequestFactory

from common.redirects import safe_next, with_query

# with_query


@pytest.mark.parametrize(
    ("url", "params", "result"),
    [
        ("/participants/", {"organisation": 7}, "/participants/?organisation=7"),
        ("/participants/?q=smith", {"organisation": 7}, "/participants/?q=smith&organisation=7"),
        ("/participants/?organisation=3&q=smith", {"organisation": 7}, "/participants/?organisation=7&q=smith"),
        ("/participants/?q=smith", {}, "/participants/?q=smith"),
        ("/participants/#trackers", {"page": 2}, "/participants/?page=2#trackers"),
        ("/participants/", {"q": "O'Brien & Sons"}, "/participants/?q=O%27Brien+%26+Sons"),
        ("https://testserver/a/?b=1", {"c": "d"}, "https://testserver/a/?b=1&c=d"),
    ],
    ids=["adds", "keeps-others", "replaces", "nothing-to-set", "keeps-fragment", "encodes", "absolute"],
)  # fmt: skip
def test_with_query_sets_the_parameters(url, params, result):
    assert with_query(url, **params) == result


# safe_next


@pytest.mark.parametrize(
    "next_url",
    [
        "/participants/",
        "/participants/?q=smith&page=2",
        "http://testserver/participants/",
    ],
)
def test_safe_next_keeps_a_url_on_this_site(next_url):
    request = RequestFactory().get("/organisations/new/", {"next": next_url})

    target = safe_next(request)

    assert target == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_safe_next_refuses_a_url_off_this_site(next_url):
    request = RequestFactory().get("/organisations/new/", {"next": next_url})

    target = safe_next(request)

    assert target == ""


def test_safe_next_without_next_is_empty():
    request = RequestFactory().get("/organisations/new/")

    target = safe_next(request)

    assert target == ""


def test_safe_next_prefers_the_posted_next_to_the_query():
    request = RequestFactory().post(
        "/organisations/new/?next=/trackers/", {"next": "/participants/"}
    )

    target = safe_next(request)

    assert target == "/participants/"


def test_safe_next_falls_back_to_the_query_when_nothing_is_posted():
    request = RequestFactory().post("/organisations/new/?next=/trackers/", {})

    target = safe_next(request)

    assert target == "/trackers/"


def test_safe_next_over_https_refuses_an_http_url():
    request = RequestFactory().get(
        "/organisations/new/", {"next": "http://testserver/participants/"}, secure=True
    )

    target = safe_next(request)

    assert target == ""

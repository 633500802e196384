"""Drafts: a form's typed values kept in the session for a trip to another page."""

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from common.drafts import DRAFTS_KEPT, keep_draft, take_draft


def posted(data: dict, session=None):
    request = RequestFactory().post("/form/", data)
    request.session = session if session is not None else SessionStore()
    return request


def test_a_draft_comes_back_once_with_the_values_given(settings):
    request = posted({"description": "Baker", "documents": ["a", "b"], "csrfmiddlewaretoken": "x"})
    keep_draft(request, "/form/")

    draft = take_draft(request, "/form/", organisation="42")

    assert draft.getlist("documents") == ["a", "b"]
    assert (draft["description"], draft["organisation"]) == ("Baker", "42")
    assert "csrfmiddlewaretoken" not in draft
    assert take_draft(request, "/form/") is None


def test_only_the_latest_drafts_are_kept():
    request = posted({"description": "Baker"})
    for number in range(DRAFTS_KEPT + 2):
        keep_draft(request, f"/form/{number}/")

    assert take_draft(request, "/form/0/") is None
    assert take_draft(request, f"/form/{DRAFTS_KEPT + 1}/")["description"] == "Baker"

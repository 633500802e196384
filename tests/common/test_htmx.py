import json

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from common.htmx import Event, is_partial, saved, template_for

PAGE = {}
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = HTMX | {"HX-History-Restore-Request": "true"}


def request_with(headers: dict, method: str = "get"):
    """A request as it reaches a view, with ``request.htmx`` set as HtmxMiddleware sets it."""
    request = getattr(RequestFactory(), method)("/organisations/", headers=headers)
    request.htmx = HtmxDetails(request)
    return request


# is_partial


@pytest.mark.parametrize(
    ("headers", "partial"),
    [(PAGE, False), (HTMX, True), (HISTORY_RESTORE, False)],
    ids=["page", "htmx", "history-restore"],
)
def test_is_partial_only_for_an_htmx_request_that_is_not_a_history_restore(headers, partial):
    request = request_with(headers)

    answer = is_partial(request)

    assert answer is partial


# template_for


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        (PAGE, "organisations/organisation_list.html"),
        (HTMX, "organisations/organisation_list.html#organisation-results"),
        (HISTORY_RESTORE, "organisations/organisation_list.html"),
    ],
    ids=["page", "htmx", "history-restore"],
)
def test_template_for_names_the_partial_only_for_a_fragment(headers, template):
    request = request_with(headers)

    name = template_for(request, "organisations/organisation_list.html", "organisation-results")

    assert name == template


# saved


def test_saved_as_a_page_redirects():
    request = request_with(PAGE, method="post")

    response = saved(
        request, events={Event.ORGANISATION_CHANGED: {}}, redirect_to="/organisations/7/"
    )

    assert (response.status_code, response["Location"]) == (302, "/organisations/7/")
    assert ("HX-Trigger" in response, "HX-Reswap" in response) == (False, False)


def test_saved_in_a_dialog_is_empty_and_names_the_events():
    request = request_with(HTMX, method="post")

    response = saved(
        request,
        events={Event.ORGANISATION_CREATED: {"value": 7, "label": "Leeds Motors"}},
        redirect_to="/organisations/7/",
    )

    assert (response.status_code, response.content, response["HX-Reswap"]) == (200, b"", "none")
    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {"messages": []},
        "organisationCreated": {"value": 7, "label": "Leeds Motors"},
    }
    assert "Location" not in response


def test_saved_in_a_dialog_without_events_only_closes_the_dialog():
    request = request_with(HTMX, method="post")

    response = saved(request, redirect_to="/organisations/7/")

    assert (response.content, response["HX-Reswap"]) == (b"", "none")
    assert json.loads(response["HX-Trigger"]) == {"dialogSaved": {"messages": []}}


def test_saved_in_a_dialog_carries_the_messages_the_view_added_and_uses_them_up():
    request = request_with(HTMX, method="post")
    request._messages = CookieStorage(request)
    messages.success(request, "Uploaded payslip.pdf.")
    messages.warning(request, "It overlaps another job.")

    response = saved(request, redirect_to="/organisations/7/")

    assert json.loads(response["HX-Trigger"]) == {
        "dialogSaved": {
            "messages": [
                {"text": "Uploaded payslip.pdf.", "level": "success"},
                {"text": "It overlaps another job.", "level": "warning"},
            ]
        }
    }
    # Read, so the storage drops them as the response goes: no page shows them again.
    assert request._messages.used is True


def test_saved_in_a_dialog_names_several_events_in_order():
    request = request_with(HTMX, method="post")

    response = saved(
        request,
        events={Event.ORGANISATION_CHANGED: {}, Event.DOCUMENTS_CHANGED: {"count": 2}},
        redirect_to="/organisations/7/",
    )

    assert list(json.loads(response["HX-Trigger"]).items()) == [
        ("dialogSaved", {"messages": []}),
        ("organisationChanged", {}),
        ("documentsChanged", {"count": 2}),
    ]


def test_saved_for_a_history_restore_request_returns_the_whole_page():
    request = request_with(HISTORY_RESTORE, method="post")

    response = saved(
        request, events={Event.ORGANISATION_CHANGED: {}}, redirect_to="/organisations/7/"
    )

    assert (response.status_code, response["Location"]) == (302, "/organisations/7/")
    assert "HX-Trigger" not in response

import socket

import pytest
from django.http import QueryDict

from organisations.address_entry import look_up
from organisations.address_finder import CandidateAddress
from tests.factories import PostcodeAddressFactory

pytestmark = pytest.mark.django_db


def typed(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update({f"address-{name}": value for name, value in values.items()})
    return data


def form_values(lookup) -> dict[str, str]:
    form = lookup.form
    return {name: form[name].value() for name in form.fields}


def test_look_up_lists_the_candidates_for_the_postcode():
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row", county="West Yorkshire")

    lookup = look_up(typed(postcode="ls14ap"), "address")

    assert lookup.candidates == [
        CandidateAddress(line_1="1 Park Row", town="Leeds", postcode="LS1 4AP"),
        CandidateAddress(
            line_1="2 Park Row", town="Leeds", county="West Yorkshire", postcode="LS1 4AP"
        ),
    ]
    assert (
        lookup.message == "2 addresses found for LS1 4AP. Choose one, or enter the address by hand."
    )
    assert lookup.filled is False
    assert lookup.form.prefix == "address"
    assert lookup.form["postcode"].value() == "LS1 4AP"


def test_look_up_with_one_candidate_says_address_not_addresses():
    PostcodeAddressFactory(line_1="1 Park Row")

    lookup = look_up(typed(postcode="LS1 4AP"), "address")

    assert (
        lookup.message == "1 address found for LS1 4AP. Choose one, or enter the address by hand."
    )


def test_look_up_with_a_choice_fills_the_form_with_that_candidate():
    PostcodeAddressFactory(line_1="1 Park Row")
    PostcodeAddressFactory(line_1="2 Park Row", line_2="Floor 3", county="West Yorkshire")

    lookup = look_up(typed(postcode="LS1 4AP", line_1="typed over"), "address", choice="1")

    assert form_values(lookup) == {
        "postcode": "LS1 4AP",
        "line_1": "2 Park Row",
        "line_2": "Floor 3",
        "line_3": "",
        "town": "Leeds",
        "county": "West Yorkshire",
    }
    assert (lookup.filled, lookup.candidates) == (True, [])
    assert lookup.message == "Address filled in. Check it before you save."


@pytest.mark.parametrize("choice", ["2", "-1", "one", ""])
def test_look_up_with_a_choice_out_of_range_lists_the_candidates_again(choice):
    PostcodeAddressFactory.create_batch(2)

    lookup = look_up(typed(postcode="LS1 4AP"), "address", choice=choice)

    assert (len(lookup.candidates), lookup.filled) == (2, False)


def test_look_up_keeps_the_typed_values_when_nothing_is_chosen():
    PostcodeAddressFactory(line_1="1 Park Row")

    lookup = look_up(typed(postcode="LS1 4AP", line_1="Unit 9", town="Leeds"), "address")

    assert form_values(lookup) == {
        "postcode": "LS1 4AP",
        "line_1": "Unit 9",
        "line_2": "",
        "line_3": "",
        "town": "Leeds",
        "county": "",
    }


@pytest.mark.parametrize("postcode", ["", "LS1", "ZZ99 9ZZZ", "not a postcode"])
def test_look_up_with_an_invalid_postcode_asks_for_a_real_one(postcode, django_assert_num_queries):
    PostcodeAddressFactory()

    with django_assert_num_queries(0):
        lookup = look_up(typed(postcode=postcode, line_1="Unit 9"), "address")

    assert lookup.message == (
        "Enter a real UK postcode to find addresses, or enter the address by hand."
    )
    assert (lookup.candidates, form_values(lookup)["line_1"]) == ([], "Unit 9")


def test_look_up_with_nothing_found_asks_for_the_address_by_hand():
    PostcodeAddressFactory(postcode="LS1 4AP")

    lookup = look_up(typed(postcode="sw1a1aa"), "address")

    assert lookup.candidates == []
    assert lookup.message == (
        "No addresses found for SW1A 1AA. Check the postcode, or enter the address by hand."
    )


def test_look_up_when_the_finder_is_unavailable_asks_for_the_address_by_hand(settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        settings.ADDRESS_FINDER = {
            "BACKEND": "http",
            "URL": f"http://127.0.0.1:{unused.getsockname()[1]}",
            "KEY": "secret-key",
            "TIMEOUT": 2.0,
        }

        lookup = look_up(typed(postcode="LS1 4AP", line_1="Unit 9"), "address")

    assert lookup.candidates == []
    assert lookup.message == (
        "The address finder is not available at the moment; enter the address by hand."
    )
    assert form_values(lookup)["line_1"] == "Unit 9"


def test_look_up_uses_the_prefix_of_the_fieldset():
    PostcodeAddressFactory(line_1="1 Park Row")
    data = QueryDict(mutable=True)
    data.update({"contact-address-postcode": "LS1 4AP", "address-postcode": "M1 1AE"})

    lookup = look_up(data, "contact-address", choice="0")

    assert lookup.form.prefix == "contact-address"
    assert form_values(lookup)["line_1"] == "1 Park Row"

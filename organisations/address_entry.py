"""Address entry that starts with a postcode: find the candidates, fill the form with the
one chosen, and always leave manual entry open when the finder has nothing to offer.

Used by every form with an address fieldset, with or without JavaScript: htmx swaps just
the fieldset (``views.find_address``); without JavaScript the whole form is posted with a
``find_address`` or ``use_address`` button and re-rendered with the same result.
"""

from dataclasses import dataclass, field

from django.http import QueryDict

from common.uk import POSTCODE_RE, normalise_postcode
from organisations.address_finder import (
    AddressFinderUnavailable,
    CandidateAddress,
    get_address_finder,
)
from organisations.forms import AddressForm

ADDRESS_FIELDS = ["postcode", "line_1", "line_2", "line_3", "town", "county"]


@dataclass
class AddressLookup:
    """What the address fieldset shows: the form, any candidates, and a message."""

    form: AddressForm
    candidates: list[CandidateAddress] = field(default_factory=list)
    message: str = ""
    filled: bool = False


def typed_values(data: QueryDict, prefix: str) -> dict[str, str]:
    return {name: data.get(f"{prefix}-{name}", "")[:200] for name in ADDRESS_FIELDS}


def look_up(data: QueryDict, prefix: str, *, choice: str | None = None) -> AddressLookup:
    """Find addresses for the typed postcode; with ``choice`` (a candidate's index), fill
    the fieldset with that candidate. Typed values are kept otherwise."""
    values = typed_values(data, prefix)
    postcode = normalise_postcode(values["postcode"])
    values["postcode"] = postcode

    def lookup(**kwargs) -> AddressLookup:
        return AddressLookup(form=AddressForm(prefix=prefix, initial=values), **kwargs)

    if not POSTCODE_RE.match(postcode):
        return lookup(message="Enter a real UK postcode to find addresses, or enter the "
                      "address by hand.")  # fmt: skip
    try:
        candidates = get_address_finder().find(postcode)
    except AddressFinderUnavailable as error:
        return lookup(message=str(error))
    if not candidates:
        return lookup(
            message=f"No addresses found for {postcode}. Check the postcode, or enter the "
            "address by hand."
        )
    chosen = _candidate(candidates, choice)
    if chosen is None:
        count = len(candidates)
        return lookup(
            candidates=candidates,
            message=f"{count} address{'es' if count != 1 else ''} found for {postcode}. "
            "Choose one, or enter the address by hand.",
        )
    values.update({name: getattr(chosen, name) for name in ADDRESS_FIELDS})
    return lookup(filled=True, message="Address filled in. Check it before you save.")


def _candidate(candidates: list[CandidateAddress], choice: str | None):
    if choice is None or not choice.isdigit() or int(choice) >= len(candidates):
        return None
    return candidates[int(choice)]

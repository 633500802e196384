"""An organisation's addresses, and the postcode finder behind every address fieldset."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.htmx import Event, saved, template_for
from organisations.address_entry import AddressLookup, look_up
from organisations.forms import AddressForm
from organisations.models import Organisation
from organisations.services import make_primary_address, save_address


@permission_required("organisations.view_organisation", raise_exception=True)
@require_GET
def find_address(request: HttpRequest) -> HttpResponse:
    """An address fieldset's fields again, with the addresses found for its postcode, or
    filled with the one chosen. htmx swaps only these fields."""
    prefix = request.GET.get("prefix", "address")
    if prefix not in {"address", "contact-address"}:
        prefix = "address"
    choice = request.GET.get(f"{prefix}-choice") if "use_address" in request.GET else None
    lookup = look_up(request.GET, prefix, choice=choice)
    return render(request, "organisations/includes/address_fields.html", {"lookup": lookup})


@permission_required("organisations.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def address_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    return _address_form_page(request, organisation, address=None)


@permission_required("organisations.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, pk: int, address_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    address = get_object_or_404(organisation.addresses, pk=address_pk)
    return _address_form_page(request, organisation, address=address)


@permission_required("organisations.change_organisation", raise_exception=True)
@require_POST
def address_make_primary(request: HttpRequest, pk: int, address_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    address = get_object_or_404(organisation.addresses, pk=address_pk)
    make_primary_address(address=address)
    messages.success(request, f"{address} is now the primary address.")
    return redirect("organisations:detail", pk=organisation.pk)


def _address_form_page(request, organisation, *, address) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = AddressForm(data, instance=address, prefix="address")
    lookup = None
    if data and ("find_address" in data or "use_address" in data):
        lookup = look_up(
            data, "address", choice=data.get("address-choice") if "use_address" in data else None
        )
    elif data and form.is_valid():
        address = save_address(organisation=organisation, address=address, **form.cleaned_data)
        messages.success(request, f"Address saved: {address}.")
        return saved(
            request,
            events={Event.ORGANISATION_CHANGED: {}},
            redirect_to=organisation.get_absolute_url(),
        )
    return render(
        request,
        template_for(request, "organisations/address_form.html", "dialog"),
        {
            "organisation": organisation,
            "address": address,
            "lookup": lookup or AddressLookup(form=form),
            "title": f"{'Edit an address' if address else 'Add an address'} for {organisation}",
        },
    )

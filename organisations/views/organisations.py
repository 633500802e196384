"""Organisation list, profile, create (page or dialog), edit and confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.history import history_changes
from common.htmx import Event, saved, template_for
from common.pagination import page_of
from common.redirects import safe_next, with_query
from common.versions import ChangedSinceLoaded, changed_since_loaded
from organisations.entry import NewOrganisation
from organisations.forms import OrganisationForm, OrganisationSearchForm
from organisations.models import Address, Contact, Organisation
from organisations.services import update_organisation

HISTORY_SHOWN = 20
CHOICES_SHOWN = 50


@permission_required("organisations.view_organisation", raise_exception=True)
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = form.filter(Organisation.objects.select_related("owner"))
    page, query = page_of(request, organisations)
    return render(
        request,
        template_for(request, "organisations/organisation_list.html", "organisation-results"),
        {"form": form, "page": page, "query": query},
    )


@permission_required("organisations.view_organisation", raise_exception=True)
@require_GET
def organisation_choices(request: HttpRequest) -> JsonResponse:
    """The employer combobox's suggestions: Confirmed organisations whose name contains
    ``q`` or with an address at a postcode starting with it, in name order, each with
    its primary address's town and postcode to tell namesakes apart."""
    matches = (
        Organisation.objects.confirmed()
        .search(request.GET.get("q", ""))
        .by_name()
        .prefetch_related(
            Prefetch("addresses", Address.objects.filter(is_primary=True), to_attr="primary")
        )
    )
    return JsonResponse(
        {
            "results": [
                {
                    "value": organisation.pk,
                    "label": organisation.name,
                    "detail": ", ".join(
                        part
                        for address in organisation.primary
                        for part in (address.town, address.postcode)
                        if part
                    ),
                }
                for organisation in matches[:CHOICES_SHOWN]
            ]
        }
    )


@permission_required("organisations.view_organisation", raise_exception=True)
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("owner", "confirmed_by").prefetch_related(
            "addresses",
            Prefetch("contacts", Contact.objects.select_related("owner", "address")),
        ),
        pk=pk,
    )
    history = organisation.history.select_related("history_user")[:HISTORY_SHOWN]
    return render(
        request,
        template_for(
            request, "organisations/organisation_detail.html", "organisation-addresses-contacts"
        ),
        {"organisation": organisation, "history": history_changes(list(history))},
    )


@permission_required("organisations.add_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # Added from the tracker form, as a job's employer.
    employer = "employer" in request.GET or "employer" in request.POST
    entry = NewOrganisation(
        data, user=request.user, employer=employer, name=request.GET.get("name", "")
    )
    duplicates = []
    if prefix := entry.finder_used():
        entry.find_address(prefix)
    elif data and entry.is_valid():
        postcode = entry.address.cleaned_data.get("postcode", "")
        duplicates = Organisation.objects.similar_to(
            entry.organisation.cleaned_data["name"], postcode
        )
        if not duplicates or "create_anyway" in data:
            organisation = entry.save(created_by=request.user)
            messages.success(request, f"{organisation} was added.")
            next_url = safe_next(request)
            return saved(
                request,
                events={Event.ORGANISATION_CREATED: _chosen(organisation)},
                redirect_to=with_query(next_url, organisation=organisation.pk)
                if next_url
                else organisation.get_absolute_url(),
            )
    context = {
        "entry": entry,
        "duplicates": duplicates,
        "next": safe_next(request),
        "employer": employer,
        "title": "Add an employer" if employer else "Add an organisation",
    }
    return render(
        request, template_for(request, "organisations/organisation_create.html", "dialog"), context
    )


@permission_required("organisations.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            update_organisation(
                organisation=organisation,
                loaded_version=form.cleaned_data["loaded_version"],
                changed_by=request.user,
                **form.organisation_fields,
            )
        except ChangedSinceLoaded as changed:
            form.add_error(None, changed_since_loaded(changed.current, "organisation"))
        else:
            messages.success(request, f"{organisation} was updated.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/organisation_edit.html",
        {"form": form, "organisation": organisation},
    )


@permission_required("organisations.change_organisation", raise_exception=True)
@require_POST
def organisation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if organisation.status == Organisation.Status.UNCONFIRMED:
        organisation.confirm(by=request.user)
        messages.success(request, f"{organisation} is now Confirmed.")
    return redirect(safe_next(request) or organisation.get_absolute_url())


def _chosen(organisation: Organisation) -> dict:
    return {"value": organisation.pk, "label": organisation.name}

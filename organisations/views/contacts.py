"""An organisation's contacts."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from common.htmx import Event, saved, template_for
from organisations.forms import ContactForm
from organisations.models import Organisation
from organisations.services import save_contact


@permission_required("organisations.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    return _contact_form_page(request, organisation, contact=None)


@permission_required("organisations.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    contact = get_object_or_404(organisation.contacts, pk=contact_pk)
    return _contact_form_page(request, organisation, contact=contact)


def _contact_form_page(request, organisation, *, contact) -> HttpResponse:
    form = ContactForm(
        request.POST or None,
        instance=contact,
        user=request.user,
        organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        contact = save_contact(organisation=organisation, contact=contact, **form.cleaned_data)
        messages.success(request, f"Contact saved: {contact}.")
        return saved(
            request,
            events={Event.ORGANISATION_CHANGED: {}},
            redirect_to=organisation.get_absolute_url(),
        )
    return render(
        request,
        template_for(request, "organisations/contact_form.html", "dialog"),
        {
            "organisation": organisation,
            "contact": contact,
            "form": form,
            "title": f"Edit {contact}" if contact else f"Add a contact at {organisation}",
        },
    )

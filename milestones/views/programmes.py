"""The programme builder: a programme's milestone settings and financial milestones.

Saving recalculates every participant on the programme, which is why the builder is the
gathering layer's (``milestones.services.save_programme``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from milestones.services import ProgrammeSaved, save_programme
from programmes.forms import AmountHelperForm, MilestoneFormSet, ProgrammeForm
from programmes.models import Programme


@permission_required("programmes.view_programme", raise_exception=True)
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("financial_milestones")
    return render(request, "milestones/programme_list.html", {"programmes": programmes})


@permission_required("programmes.add_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    return _programme_builder(request, Programme())


@permission_required("programmes.change_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_builder(request, get_object_or_404(Programme, pk=pk))


def _programme_builder(request: HttpRequest, programme: Programme) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, instance=programme)
    formset = MilestoneFormSet(data, instance=programme, prefix="milestones")
    if data and form.is_valid() and formset.is_valid():
        result = save_programme(
            programme=programme if programme.pk else None,
            details=form.cleaned_data,
            milestones=formset.entries(),
            saved_by=request.user,
        )
        _say_what_was_recalculated(request, result)
        if result.job:
            return redirect("jobs:detail", pk=result.job.pk)
        return redirect("milestones:programme_edit", pk=result.programme.pk)
    helper = AmountHelperForm(request.GET if "on" in request.GET else None)
    return render(
        request,
        "milestones/programme_form.html",
        {"programme": programme, "form": form, "formset": formset, "helper": helper},
    )


def _say_what_was_recalculated(request: HttpRequest, result: ProgrammeSaved) -> None:
    count = result.participants
    if result.recalculated:
        plural = "s" if count != 1 else ""
        messages.success(
            request,
            f"{result.programme} saved. Milestones recalculated for {count:,} participant{plural}.",
        )
    else:
        messages.warning(
            request,
            f"{result.programme} saved. Its {count:,} participants are too many to "
            "recalculate at once: a background job is recalculating them, and this page "
            "shows how far it has got.",
        )

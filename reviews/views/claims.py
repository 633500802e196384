"""The Ready to claim worklist: Verified milestones not yet claimed across the user's
teams, their CSV exports (each kept and downloadable again as it was sent) and marking
the selected ones Claimed."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.htmx import template_for
from common.pagination import page_of
from participants.access import teams_for
from participants.access_log import record_export
from reviews import claims
from reviews.claim_forms import ClaimFilterForm, MarkClaimedForm
from reviews.models import ClaimExport

EARLIER_EXPORTS = 20


@permission_required("milestones.change_claim", raise_exception=True)
@require_GET
def ready_to_claim(request: HttpRequest) -> HttpResponse:
    return _worklist(request, MarkClaimedForm(user=request.user))


@permission_required("milestones.change_claim", raise_exception=True)
@require_POST
def mark_claimed(request: HttpRequest) -> HttpResponse:
    """Mark the selected milestones Claimed, then back to the list with its filters (the
    form's action carries them, and the page, in its query string)."""
    form = MarkClaimedForm(request.POST, user=request.user)
    if not form.is_valid():
        return _worklist(request, form)
    count = claims.mark_claimed(milestones=form.cleaned_data["milestones"], claimed_by=request.user)
    messages.success(request, f"Marked {count} milestone{'' if count == 1 else 's'} as Claimed.")
    filters = request.GET.copy()
    filters.pop("page", None)  # the marked rows have left the list: its pages have moved
    return redirect(
        reverse("reviews:ready_to_claim") + (f"?{filters.urlencode()}" if filters else "")
    )


def _worklist(request: HttpRequest, mark_form: MarkClaimedForm) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None, teams=teams_for(request.user))
    page, query = page_of(request, form.filter(claims.ready_to_claim(request.user)))
    today = timezone.localdate()
    exports = claims.claim_exports_for(request.user).select_related("created_by")
    return render(
        request,
        template_for(request, "reviews/ready_to_claim.html", "claim-results"),
        {
            "form": form,
            "page": page,
            # Each row with when it must be claimed in PRaP by (self-employed outcomes).
            "rows": [(milestone, milestone.claim_window(today=today)) for milestone in page.rows],
            "query": query,
            "mark_form": mark_form,
            "selected": mark_form["milestones"].value() or [],
            "exports": exports[:EARLIER_EXPORTS],
            "export_filters": {
                name: request.GET[name]
                for name in ClaimFilterForm.base_fields
                if request.GET.get(name)
            },
        },
    )


@permission_required("milestones.export_milestones", raise_exception=True)
@require_POST
def claim_export(request: HttpRequest) -> HttpResponse:
    """Record an export of the filtered rows (the form carries the list's filters), then
    send it by its download URL: a POST, since it writes, and never repeated by a reload.
    Ready-to-claim rows are a day's or a week's claims, so the file is made here."""
    form = ClaimFilterForm(request.POST, teams=teams_for(request.user))
    export = claims.export_ready_to_claim(
        milestones=form.filter(claims.ready_to_claim(request.user)),
        filters=form.applied(),
        exported_by=request.user,
    )
    return redirect("reviews:claim_export_download", pk=export.pk)


@permission_required("milestones.export_milestones", raise_exception=True)
@require_GET
def claim_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An earlier export exactly as it was sent, whatever has changed since."""
    export = get_object_or_404(claims.claim_exports_for(request.user), pk=pk)
    return _csv_attachment(request, export)


def _csv_attachment(request: HttpRequest, export: ClaimExport) -> HttpResponse:
    record_export(request, claims.participants_in(export))
    name = f"ready-to-claim-{timezone.localtime(export.created_at):%Y-%m-%d}.csv"
    return HttpResponse(
        export.content,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

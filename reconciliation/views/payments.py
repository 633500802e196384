"""One participant milestone's payment from DWP: marking it Reconciled, and debits."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from milestones.models import ParticipantMilestone
from participants.access import of_participants_for
from participants.access_log import record_access
from reconciliation.forms import DebitForm
from reconciliation.models import DwpNotification
from reconciliation.services import PaymentRefused, balance_of, mark_reconciled, record_debit
from reconciliation.views import PERMISSION


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant milestone's payment from DWP: what DWP's file said, marking it
    Reconciled, and debits (clawback) with their reasons."""
    milestone = get_object_or_404(
        ParticipantMilestone.objects.filter(of_participants_for(request.user)).select_related(
            "participant"
        ),
        pk=pk,
    )
    record_access(request, milestone.participant)
    notification = (
        DwpNotification.objects.filter(participant_milestone=milestone)
        .select_related("reconciled_by", "source_import")
        .first()
    )
    debit_form = DebitForm()
    refusal = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reconcile" and notification:
                mark_reconciled(notification, reconciled_by=request.user)
                messages.success(request, "The payment is marked Reconciled.")
                return redirect("reconciliation:payments", pk=milestone.pk)
            if request.POST.get("action") == "debit":
                debit_form = DebitForm(request.POST)
                if debit_form.is_valid():
                    debit = record_debit(
                        milestone=milestone, recorded_by=request.user, **debit_form.cleaned_data
                    )
                    messages.success(request, f"A debit of £{debit.amount:,} is recorded.")
                    return redirect("reconciliation:payments", pk=milestone.pk)
        except PaymentRefused as error:
            refusal = str(error)
    return render(
        request,
        "reconciliation/payments.html",
        {
            "milestone": milestone,
            "participant": milestone.participant,
            "notification": notification,
            "debits": milestone.dwp_debits.select_related("recorded_by"),
            "balance": balance_of(milestone, notification),
            "debit_form": debit_form,
            "refusal": refusal,
        },
    )

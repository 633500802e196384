"""The participant page's DWP panel: each milestone's projected date beside DWP's
confirmed date, the difference and the flags. A tag, so that the participant page (a
lower layer) shows it without importing this app."""

from django import template
from django.conf import settings
from django.utils import timezone

from reconciliation.comparison import compare
from reconciliation.models import DwpNotification
from trackers.models import Tracker

register = template.Library()

SELF_EMPLOYMENT = "self_employment"


def comparisons(participant, milestones, *, today=None) -> list[dict]:
    """One entry per milestone: it, DWP's notification (or None), and the comparison.
    Two queries, whatever the number of milestones."""
    milestones = list(milestones)
    if not milestones:
        return []
    held = {
        n.participant_milestone_id: n
        for n in DwpNotification.objects.filter(participant=participant).select_related(
            "source_import"
        )
    }
    kinds = set(
        Tracker.objects.filter(participant=participant).values_list("type", flat=True).distinct()
    )
    today = today or timezone.localdate()
    rows = []
    for milestone in milestones:
        notification = held.get(milestone.pk)
        wanted = (
            Tracker.Type.SELF_EMPLOYMENT if milestone.kind == SELF_EMPLOYMENT else Tracker.Type.JOB
        )
        rows.append(
            {
                "milestone": milestone,
                "notification": notification,
                "comparison": compare(
                    projected=milestone.projected_date,
                    status=milestone.status,
                    confirmed=notification.notification_date if notification else None,
                    has_employment=wanted in kinds,
                    today=today,
                    late_weeks=settings.DWP_LATE_WEEKS,
                    missing_days=settings.DWP_MISSING_DAYS,
                ),
            }
        )
    return rows


@register.inclusion_tag("reconciliation/includes/dwp_panel.html", takes_context=True)
def dwp_panel(context, participant, milestones):
    if not participant.programme.milestones_enabled:
        return {"rows": []}
    return {
        "show_payments": context["request"].user.has_perm("reconciliation.import_notifications"),
        "rows": comparisons(participant, milestones),
        "late_weeks": settings.DWP_LATE_WEEKS,
        "missing_days": settings.DWP_MISSING_DAYS,
    }

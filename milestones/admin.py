from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import ParticipantMilestone


@admin.register(ParticipantMilestone)
class ParticipantMilestoneAdmin(SimpleHistoryAdmin):
    """Corrections only: the projection fields are the recalculation's to write."""

    list_display = ["participant", "name", "projected_date", "status", "claim_status"]
    list_filter = ["status", "claim_status", "kind"]
    list_select_related = ["participant"]
    search_fields = ["=participant__reference"]
    show_full_result_count = False
    raw_id_fields = ["participant", "financial_milestone"]
    readonly_fields = [
        "kind",
        "amount",
        "earned_to_date",
        "projected_date",
        "weeks_left",
        "calculated_on",
    ]

    def has_add_permission(self, request):
        return False

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin
from common.admin_lists import LargeTableAdmin
from milestones.models import ClaimAttempt, ParticipantMilestone


@admin.register(ParticipantMilestone)
class ParticipantMilestoneAdmin(IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    """Corrections only: the projection fields are the recalculation's to write."""

    list_display = ["participant", "name", "projected_date", "status", "claim_status"]
    list_filter = ["status", "claim_status", "kind"]
    # The model's order with the participant's id, not its name, breaking ties: ordering
    # by the participant's name would join and sort every row (milestone_admin_order).
    ordering = [F("projected_date").asc(nulls_last=True), "participant_id", "id"]
    list_select_related = ["participant"]
    search_fields = ["=participant__reference", "=participant__nino"]
    search_help_text = "A participant's reference or National Insurance number."
    autocomplete_fields = ["participant"]
    # The programme's few milestones have no admin of their own to autocomplete from.
    raw_id_fields = ["financial_milestone"]
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


@admin.register(ClaimAttempt)
class ClaimAttemptAdmin(IdAutocompleteAdmin, SimpleHistoryAdmin):
    """Corrections only: a claim and PRaP's answer are recorded on the claim page, whose
    services keep the milestone's claim status and the attempts allowed in step."""

    list_display = ["milestone", "submitted_on", "outcome", "outcome_recorded_on", "recorded_by"]
    list_filter = ["outcome"]
    list_select_related = ["milestone", "milestone__participant", "recorded_by"]
    search_fields = ["=milestone__participant__reference", "=milestone__participant__nino"]
    search_help_text = "A participant's reference or National Insurance number."
    autocomplete_fields = ["milestone", "recorded_by"]

    def has_add_permission(self, request):
        return False

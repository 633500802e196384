from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_lists import LargeTableAdmin
from reviews.models import Decision, EvidenceRequirement, ReviewReason


@admin.register(ReviewReason)
class ReviewReasonAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "active", "position"]
    search_fields = ["label", "code"]
    list_editable = ["active", "position"]


@admin.register(EvidenceRequirement)
class EvidenceRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tracker_type", "kinds", "required", "position"]
    list_filter = ["tracker_type"]


@admin.register(Decision)
class DecisionAdmin(LargeTableAdmin, admin.ModelAdmin):
    """Decisions are evidence of the review: shown, never changed or deleted here."""

    list_display = ["tracker", "outcome", "reason", "decided_by", "decided_at"]
    list_filter = ["outcome", "reason"]
    list_select_related = ["tracker", "reason", "decided_by"]
    search_fields = ["=tracker__participant__reference", "=tracker__participant__nino"]
    search_help_text = "A participant's reference or National Insurance number."
    autocomplete_fields = ["tracker", "reason", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.forms import BaseMilestoneFormSet, FinancialMilestoneForm, ProgrammeForm
from milestones.models import FinancialMilestone, MinimumWageRate, ParticipantMilestone, Programme


class FinancialMilestoneInline(admin.TabularInline):
    """With the programme builder's checks: amounts positive and increasing."""

    model = FinancialMilestone
    form = FinancialMilestoneForm
    formset = BaseMilestoneFormSet
    extra = 0
    fields = ["position", "name", "amount"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    form = ProgrammeForm
    list_display = ["name", "start_date", "end_date", "milestones_enabled", "scheme"]
    search_fields = ["name"]
    inlines = [FinancialMilestoneInline]


@admin.register(MinimumWageRate)
class MinimumWageRateAdmin(SimpleHistoryAdmin):
    list_display = ["effective_from", "band", "min_age", "max_age", "apprentice", "hourly_rate"]
    list_filter = ["effective_from", "apprentice"]


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

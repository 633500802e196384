from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.forms import BaseMilestoneFormSet, FinancialMilestoneForm, ProgrammeForm
from programmes.models import FinancialMilestone, MinimumWageRate, Programme


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

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "end_date", "milestones_enabled", "scheme"]
    search_fields = ["name"]

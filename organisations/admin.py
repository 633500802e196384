from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "status", "category", "owner"]
    list_filter = ["status", "type", "category"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    autocomplete_fields = ["owner", "confirmed_by"]

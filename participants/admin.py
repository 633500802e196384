from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin, VersionedAdmin
from participants.access import participants_for
from participants.models import AccessLogEntry, Participant, ParticipantImport, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Participant)
class ParticipantAdmin(VersionedAdmin, IdAutocompleteAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "last_name", "first_name", "nino", "postcode", "team", "programme"]
    list_filter = ["team", "programme"]
    list_select_related = ["team", "programme"]
    # The admin searches like the grid, through the trigram index (see get_search_results).
    search_fields = ["search_text"]
    search_help_text = "Name, reference, National Insurance number or postcode."
    show_full_result_count = False
    autocomplete_fields = ["adviser"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def get_queryset(self, request):
        return participants_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False


@admin.register(ParticipantImport)
class ParticipantImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "imported_at", "imported_count"]
    readonly_fields = [f.name for f in ParticipantImport._meta.fields]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """The read-access log, to look at only: nobody may add, change or delete a row."""

    list_display = ["at", "user", "participant", "kind", "url_name", "path"]
    list_filter = ["kind"]
    list_select_related = ["user", "participant"]
    search_fields = ["participant__reference", "user__username"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(participant__in=participants_for(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

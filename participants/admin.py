from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin, VersionedAdmin
from common.admin_lists import LargeTableAdmin
from participants.access import participants_for, sees_every_team
from participants.models import AccessLogEntry, Participant, ParticipantImport, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Participant)
class ParticipantAdmin(VersionedAdmin, IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "last_name", "first_name", "nino", "postcode", "team", "programme"]
    list_filter = ["team", "programme"]
    list_select_related = ["team", "programme"]
    # A reference or NINO is looked up exactly (the unique indexes); anything else, or a
    # reference typed only in part, is searched like the grid, through the trigram index.
    search_fields = ["=reference", "=nino", "search_text"]
    search_help_text = "Name, reference, National Insurance number or postcode."
    autocomplete_fields = ["adviser", "team", "programme"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def get_queryset(self, request):
        return participants_for(request.user)

    def free_text_search(self, queryset, fields, search_term):
        return queryset.search(search_term), False


@admin.register(ParticipantImport)
class ParticipantImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "imported_at", "imported_count"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [f.name for f in ParticipantImport._meta.fields]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(LargeTableAdmin, admin.ModelAdmin):
    """The read-access log, to look at only: nobody may add, change or delete a row."""

    list_display = ["at", "user", "participant", "kind", "url_name", "path"]
    # A date filter, not date_hierarchy: the hierarchy's years and months are a DISTINCT
    # over every row of the log.
    list_filter = ["kind", "at"]
    # The page's readers and participants are read by their keys after it (get_queryset),
    # not joined: with a join, SQLite's planner, its statistics a day old while exports
    # added a million rows, led with the readers and sorted the whole log (460 ms).
    list_select_related = ()
    search_fields = ["=participant__reference", "=participant__nino", "user__username"]
    search_help_text = "A participant's reference or National Insurance number, or a username."

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("user", "participant")
        if sees_every_team(request.user):
            return queryset
        return queryset.filter(participant__in=participants_for(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

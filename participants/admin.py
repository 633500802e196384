from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.models import Participant, ParticipantImport, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "last_name", "first_name", "nino", "postcode", "team", "programme"]
    list_filter = ["team", "programme"]
    list_select_related = ["team", "programme"]
    # Prefix and exact matches can use the indexes; names use the grid's trigram search.
    search_fields = ["=reference", "=nino", "^last_name", "^postcode"]
    search_help_text = "Exact reference or NI number, or the start of a surname or postcode."
    show_full_result_count = False
    autocomplete_fields = ["adviser"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return Participant.objects.visible_to(request.user)


@admin.register(ParticipantImport)
class ParticipantImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "imported_at", "imported_count"]
    readonly_fields = [f.name for f in ParticipantImport._meta.fields]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin, VersionedAdmin
from common.admin_lists import LargeTableAdmin
from participants.access import participants_for, sees_every_team
from trackers.models import EvidenceDocument, Tracker


class EvidenceDocumentInline(admin.TabularInline):
    model = EvidenceDocument
    fields = ["original_name", "kind", "content_type", "size", "uploaded_by", "deleted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Tracker)
class TrackerAdmin(VersionedAdmin, IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["description", "participant", "type", "status", "organisation", "start_date"]
    list_filter = ["type", "status"]
    list_select_related = ["participant", "organisation"]
    # The description is searched through a trigram index on PostgreSQL; on SQLite
    # a rare word scans the table (common/trigram.py).
    search_fields = ["=participant__reference", "=participant__nino", "description"]
    search_help_text = (
        "A participant's reference or National Insurance number, or words of the job title."
    )
    autocomplete_fields = ["participant", "organisation", "assignee"]
    # The review status moves only through review decisions (reviews.services).
    readonly_fields = [
        "status", "submitted_at", "version", "created_by", "edited_by", "created_at", "updated_at"
    ]  # fmt: skip
    inlines = [EvidenceDocumentInline]

    def get_queryset(self, request):
        return visible(request, super().get_queryset(request), "participant")


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["original_name", "tracker", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["tracker", "uploaded_by"]
    search_fields = ["=tracker__participant__reference", "=tracker__participant__nino"]
    search_help_text = "A participant's reference or National Insurance number."
    # The file itself is never replaced or served here: downloads go through the
    # permission-checked view.
    exclude = ["file"]
    readonly_fields = ["tracker", "original_name", "content_type", "size", "sha256",
                       "uploaded_by", "uploaded_at"]  # fmt: skip
    autocomplete_fields = ["deleted_by", "verified_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return visible(request, super().get_queryset(request), "tracker__participant")


def visible(request, queryset, participant_path: str):
    """The rows of participants the user may see. Those who see every team get the whole
    table, unfiltered: a filter through every participant would stop the changelist
    from reading its order's index (and from estimating the table's size)."""
    if sees_every_team(request.user):
        return queryset
    return queryset.filter(
        **{f"{participant_path}__in": participants_for(request.user).values("pk")}
    )

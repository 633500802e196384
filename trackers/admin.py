from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin, VersionedAdmin
from participants.access import participants_for
from trackers.models import EvidenceDocument, Tracker


class EvidenceDocumentInline(admin.TabularInline):
    model = EvidenceDocument
    fields = ["original_name", "kind", "content_type", "size", "uploaded_by", "deleted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Tracker)
class TrackerAdmin(VersionedAdmin, IdAutocompleteAdmin, SimpleHistoryAdmin):
    list_display = ["description", "participant", "type", "status", "organisation", "start_date"]
    list_filter = ["type", "status"]
    list_select_related = ["participant", "organisation"]
    search_fields = ["=participant__reference", "description"]
    show_full_result_count = False
    raw_id_fields = ["participant", "organisation"]
    autocomplete_fields = ["assignee"]
    # The review status moves only through review decisions (reviews.services).
    readonly_fields = [
        "status", "submitted_at", "version", "created_by", "edited_by", "created_at", "updated_at"
    ]  # fmt: skip
    inlines = [EvidenceDocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(participant__in=_visible(request))


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "tracker", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["tracker", "uploaded_by"]
    show_full_result_count = False
    # The file itself is never replaced or served here: downloads go through the
    # permission-checked view.
    exclude = ["file"]
    readonly_fields = ["tracker", "original_name", "content_type", "size", "sha256",
                       "uploaded_by", "uploaded_at"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(tracker__participant__in=_visible(request))


def _visible(request):
    return participants_for(request.user).values("pk")

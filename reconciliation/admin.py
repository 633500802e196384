"""Corrections and set-up by data-fix staff: each contract's column mapping, what DWP's
notification types mean for each programme, and participants' PO numbers."""

from django.contrib import admin

from reconciliation.models import ColumnMapping, NotificationType, PrapReference


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "po_number_prefix"]
    search_fields = ["name"]


@admin.register(NotificationType)
class NotificationTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "programme", "financial_milestone", "self_employment"]
    list_filter = ["programme"]
    search_fields = ["label"]


@admin.register(PrapReference)
class PrapReferenceAdmin(admin.ModelAdmin):
    list_display = ["po_number", "participant"]
    search_fields = ["po_number", "participant__reference"]
    raw_id_fields = ["participant"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin_forms import IdAutocompleteAdmin, VersionedAdmin
from common.admin_lists import LargeTableAdmin
from organisations.models import Address, Contact, Organisation, PostcodeAddress


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    fields = [("line_1", "line_2", "line_3"), ("town", "county", "postcode"), "is_primary"]


class ContactInline(IdAutocompleteAdmin, admin.StackedInline):
    model = Contact
    extra = 0
    fields = [("name", "role", "owner"), ("email", "phone", "additional_phone"), "address", "url"]
    autocomplete_fields = ["owner"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A contact's address is one of its own organisation's addresses.
        if db_field.name == "address" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = Address.objects.filter(
                organisation_id=request.resolver_match.kwargs["object_id"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdmin, IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["name", "type", "status", "category", "owner"]
    list_filter = ["status", "type", "category"]
    list_select_related = ["owner"]
    # A postcode is looked up exactly; a name through a trigram index on PostgreSQL.
    search_fields = ["=addresses__postcode", "name"]
    search_help_text = "Words of the name, or a postcode of one of its addresses."
    autocomplete_fields = ["owner", "confirmed_by"]
    readonly_fields = ["version", "created_at"]
    inlines = [AddressInline, ContactInline]


@admin.register(Address)
class AddressAdmin(IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["line_1", "town", "postcode", "organisation", "is_primary"]
    list_select_related = ["organisation"]
    search_fields = ["=postcode", "organisation__name"]
    search_help_text = "A postcode, or words of the organisation's name."
    autocomplete_fields = ["organisation"]


@admin.register(Contact)
class ContactAdmin(IdAutocompleteAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["name", "role", "email", "phone", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["=email", "name", "organisation__name"]
    search_help_text = "An email address, or words of the contact's or organisation's name."
    autocomplete_fields = ["organisation", "address", "owner"]


@admin.register(PostcodeAddress)
class PostcodeAddressAdmin(LargeTableAdmin, admin.ModelAdmin):
    list_display = ["line_1", "line_2", "town", "postcode"]
    search_fields = ["=postcode"]
    search_help_text = "The full postcode, for example LS1 4AP."

"""Django admin pieces every app's admin uses."""

from django.contrib.admin.widgets import AutocompleteSelect

from common.forms import id_or_none
from common.versions import next_version


class IdAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete select, shown again with a value that is not an id ("abc",
    a number too large for the database) without looking that value up: the stock
    widget would fail with a server error before the field could say it is not a choice."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if id_or_none(v)], attr)


class IdAutocompleteAdmin:
    """A ModelAdmin mixin whose ``autocomplete_fields`` use IdAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionedAdmin:
    """A ModelAdmin mixin for models with a ``version`` (common.versions): a correction
    made in admin moves the version on, so a front-end form loaded before it is refused
    instead of undoing it. (The admin saves each change in a transaction.)"""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = next_version(obj)
        super().save_model(request, obj, form, change)

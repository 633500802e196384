"""Form pieces every app uses: the project's form renderer (every form and field renders
through the same templates, so errors look the same everywhere: the GOV.UK error summary
and a message beside the field), the date input and the staff select."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.forms.renderers import TemplatesSetting

# The largest id a database will look up (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def id_or_none(value) -> int | None:
    """A row id typed into a URL or form (``"42"``), or None for anything else: letters,
    "²", "-1", a number too large for the database."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class HintedModelForm(forms.ModelForm):
    """A ModelForm whose declared fields keep their hints: Django gives ``Meta.help_texts``
    and the model field's help text only to the fields it makes itself, so a field
    declared on the form (to narrow its choices, say) would lose its hint."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_texts = getattr(self._meta, "help_texts", None) or {}
        for name in self.declared_fields:
            field = self.fields.get(name)
            if field is None or field.help_text:
                continue
            try:
                model_text = self._meta.model._meta.get_field(name).help_text
            except FieldDoesNotExist:
                model_text = ""
            field.help_text = help_texts.get(name, model_text)


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def active_staff(*conditions: Q, **filters) -> QuerySet:
    """Active users matching the conditions, each once, in name order: the choices of
    every staff select."""
    return (
        get_user_model()
        .objects.filter(*conditions, is_active=True, **filters)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class SearchField(forms.CharField):
    """The free-text box of a list page's filters."""

    def __init__(self, *, help_text: str, **kwargs):
        super().__init__(
            label="Search",
            required=False,
            max_length=200,
            help_text=help_text,
            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
            **kwargs,
        )


class StaffChoiceField(forms.ModelChoiceField):
    """A select of staff, shown by name."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username

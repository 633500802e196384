"""Form pieces every app uses: the project's form renderer (every form and field renders
through the same templates, so errors look the same everywhere: the GOV.UK error summary
and a message beside the field), the date input and the staff select."""

from django import forms
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    """A select of staff, shown by name."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username

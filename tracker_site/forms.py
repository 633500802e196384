"""The project's form renderer: every form and field renders through the same templates,
so errors look the same everywhere (GOV.UK error summary + message beside the field)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

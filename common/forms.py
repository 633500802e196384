"""Form pieces every app uses: the project's form renderer (every form and field renders
through the same templates, so errors look the same everywhere: the GOV.UK error summary
and a message beside the field), the GOV.UK date input and the staff select."""

import calendar
import datetime
from html import escape
from typing import NamedTuple

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

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


# Characters that reorder the text around them (embeddings, overrides, isolates and the
# directional marks): in a name or a note they can make "Smith" show as something else.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


class PlainTextForm:
    """A form mixin: every text it takes loses its bidirectional control characters,
    which nobody types on purpose into a name, a job title or a note."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = without_bidi_controls(value)
        return cleaned


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


class FoldingForm:
    """A form whose rarely needed fields (named in ``folded``) fold away behind "More
    details" (``includes/fields.html``), open when one of them has an error or a value
    other than its initial one."""

    folded: tuple[str, ...] = ()

    def main_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name not in self.folded]

    def folded_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name in self.folded]

    def folded_open(self) -> bool:
        return any(
            field.errors or str(field.value() or "") != str(field.initial or "")
            for field in self.folded_fields()
        )


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


class DateParts(NamedTuple):
    """What was typed into a date input's day, month and year boxes, unchecked."""

    day: str
    month: str
    year: str

    @classmethod
    def of(cls, date: datetime.date) -> "DateParts":
        return cls(str(date.day), str(date.month), str(date.year))

    def _month_number(self) -> str:
        """The month as digits: "3", "03", "Mar" and "March" are all March."""
        month = self.month.strip()
        return str(MONTH_NAMES.get(month.lower(), month))

    def problem(self) -> tuple[str, tuple[str, ...]] | None:
        """What is wrong, as GOV.UK's date input names it ("missing", "not a number",
        "year", "not real"), with the boxes to mark; None when it is a real date or all
        three boxes are empty."""
        values = {"day": self.day.strip(), "month": self._month_number(), "year": self.year.strip()}
        missing = tuple(part for part, value in values.items() if not value)
        if len(missing) == 3:
            return None
        if missing:
            return "missing", missing
        not_numbers = tuple(part for part, value in values.items() if not value.isdecimal())
        if not_numbers:
            return "not a number", not_numbers
        if len(values["year"]) != 4:
            return "year", ("year",)
        try:
            datetime.date(int(values["year"]), int(values["month"]), int(values["day"]))
        except ValueError:
            return "not real", tuple(values)
        return None

    def is_empty(self) -> bool:
        return not any(part.strip() for part in self)

    def to_date(self) -> datetime.date:
        """The date, for parts whose ``problem()`` is None and that are not empty."""
        return datetime.date(int(self.year), int(self._month_number()), int(self.day))


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes, labelled, numeric, no
    picker; its hint gives an ``example``. It also reads an ISO date sent under the field's own name (a link such as
    ``?projected_by=2026-03-31``, or a script)."""

    template_name = "forms/date_input.html"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs=None, autocomplete: str = "", example: str = "27 3 2026"):
        self.example = example
        boxes = {
            part: forms.TextInput(
                attrs={"inputmode": "numeric", "class": f"date-input__{part}"}
                | ({"autocomplete": f"{autocomplete}-{part}"} if autocomplete else {})
            )
            for part in self.PARTS
        }
        super().__init__(boxes, attrs)

    def decompress(self, value) -> DateParts:
        if isinstance(value, datetime.date):
            return DateParts.of(value)
        if isinstance(value, str):
            try:
                return DateParts.of(datetime.date.fromisoformat(value))
            except ValueError:
                pass
        return DateParts("", "", "")

    def value_from_datadict(self, data, files, name):
        if name in data and all(f"{name}_{part}" not in data for part in self.PARTS):
            return data[name]
        return DateParts(*(value or "" for value in super().value_from_datadict(data, files, name)))

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = value if isinstance(value, DateParts) else None
        problem = parts.problem() if parts else None
        wrong = problem[1] if problem else ()
        if parts and parts.is_empty() and self.is_required and attrs.get("aria-invalid"):
            wrong = self.PARTS
        for part, box in zip(self.PARTS, context["widget"]["subwidgets"], strict=True):
            box["label"] = part.capitalize()
            box["wrong"] = part in wrong
        return context


class DateField(forms.DateField):
    """A date typed into the GOV.UK date input, checked with its error messages: "Start
    date must include a month", "Start date must be a real date", and so on. ``noun`` names
    the date in those messages when the label does not read as one ("Started on or
    after")."""

    widget = DateInput

    def __init__(self, *, noun: str = "", **kwargs):
        super().__init__(**kwargs)
        self.noun = noun
        if "required" not in (kwargs.get("error_messages") or {}):
            named = (noun or self.label or "the date").lower().removeprefix("the ")
            self.error_messages["required"] = f"Enter the {named}."

    def to_python(self, value):
        noun = self.noun or self.label or "The date"
        if not isinstance(value, DateParts):
            try:
                return super().to_python(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"{noun} must be a real date.", code="invalid"
                ) from None
        if value.is_empty():
            return None
        problem = value.problem()
        if problem is None:
            return value.to_date()
        kind, parts = problem
        message = {
            "missing": f"{noun} must include a {' and '.join(parts)}.",
            "not a number": f"{noun} must be a real date, in numbers, like 27 3 2026.",
            "year": f"The year of the {noun[0].lower() + noun[1:]} must include 4 numbers.",
            "not real": f"{noun} must be a real date.",
        }[kind]
        raise forms.ValidationError(message, code="invalid")


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

    def __init__(self, *, help_text: str, label: str = "Search", **kwargs):
        super().__init__(
            label=label,
            required=False,
            max_length=200,
            help_text=help_text,
            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
            **kwargs,
        )


class ChoicesReadAtOnce(forms.models.ModelChoiceIterator):
    """A select's choices read as one plain query (and kept for the form's life), not
    through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor
    (``DECLARE … WITH HOLD``) and cost two round trips for a dozen teams."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class FilterChoiceField(forms.ModelChoiceField):
    """A list page's select filter: "All" unless one is chosen. ``choose`` names what it
    chooses ("a team"), for the message a shared or bookmarked link gets when it holds
    what is no longer a choice."""

    iterator = ChoicesReadAtOnce

    def __init__(self, queryset, *, choose: str, **kwargs):
        super().__init__(
            queryset,
            required=False,
            empty_label="All",
            error_messages={"invalid_choice": f"Choose {choose} from the list."},
            **kwargs,
        )


class LongSelect(forms.Select):
    """A select whose options are written in Python rather than a template include each:
    the same markup, but with 500 advisers in the grid's filter the includes were most of
    the page's time (150 ms of 200)."""

    template_name = "forms/long_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = []
        for group_name, options, _ in context["widget"]["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(str(group_name))}">')
            parts.extend(
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{' selected' if option['selected'] else ''}>{escape(str(option['label']))}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        # Every value and label is escaped above (html.escape, as Django's own escape).
        context["widget"]["options_html"] = mark_safe("".join(parts))  # noqa: S308
        return context


class StaffChoiceField(forms.ModelChoiceField):
    """A select of staff, shown by name."""

    iterator = ChoicesReadAtOnce
    widget = LongSelect

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username

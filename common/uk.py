"""UK data formats shared by every app: postcodes and National Insurance numbers.

Each format has a normaliser (tidy what people type), a validator and a model field that
applies both, so admin, forms and imports agree. Rules: shared/reference/domain.md §6.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# BS7666 outward and inward codes, as used by django-localflavor's GB postcode field.
_OUTWARD = r"[A-PR-UWYZ]([0-9]{1,2}|([A-HIK-Y][0-9](|[0-9]|[ABEHMNPRVWXY]))|[0-9][A-HJKSTUW])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"^(GIR 0AA|{_OUTWARD} {_INWARD})$")

# Two prefix letters (D, F, I, Q, U, V never used; O not second), six digits, suffix A-D.
NINO_RE = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


def normalise_postcode(value: str) -> str:
    """Upper-case, drop every space, then put one space before the inward code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real UK postcode, like SW1A 1AA.", code="invalid_postcode")


def normalise_nino(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_nino(value: str) -> None:
    if not NINO_RE.match(normalise_nino(value)):
        raise ValidationError(
            "Enter a National Insurance number in the correct format, like AB 12 34 56 C.",
            code="invalid_nino",
        )


def format_nino(value: str) -> str:
    """Show a stored NINO in the grouped form people read: AB 12 34 56 C."""
    if len(value) != 9:
        return value
    return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"


class _NormalisingFormField(forms.CharField):
    normalise = staticmethod(str)

    def to_python(self, value):
        return self.normalise(super().to_python(value))

    def widget_attrs(self, widget):
        # People type spaces that normalising removes, so the browser must not cut
        # the input short; the length is checked after normalising.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PostcodeFormField(_NormalisingFormField):
    normalise = staticmethod(normalise_postcode)
    default_validators = [validate_postcode]


class NinoFormField(_NormalisingFormField):
    normalise = staticmethod(normalise_nino)
    default_validators = [validate_nino]


class PostcodeField(models.CharField):
    """A UK postcode, stored normalised (``SW1A 1AA``)."""

    default_validators = [validate_postcode]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_postcode(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PostcodeFormField, **kwargs})


class NinoField(models.CharField):
    """A National Insurance number, stored without spaces (``AB123456C``)."""

    default_validators = [validate_nino]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_nino(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NinoFormField, **kwargs})

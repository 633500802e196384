"""Template filters shared by every app's templates."""

from django import template

register = template.Library()


@register.filter
def listed(value) -> list:
    """The value as a one-item list, for includes that take a list (``forms``)."""
    return [value]

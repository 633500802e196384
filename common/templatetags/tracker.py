"""Template filters shared by every app's templates."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def listed(value) -> list:
    """The value as a one-item list, for includes that take a list (``forms``)."""
    return [value]


@register.filter
def money(value) -> str:
    """An amount as people read it, to the penny: £22,857.12 (— when there is none)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"

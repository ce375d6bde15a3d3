from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def dollars(value: Decimal | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


@register.filter
def times(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}×"

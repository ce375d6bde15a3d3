from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 4, 2.5, -1."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


@register.simple_tag
def stock_figure(value: Decimal) -> str:
    """A stock figure; below zero it is marked (the shop sold what it did not count)."""
    if value < 0:
        return format_html(
            '<span class="stock-negative" title="Sold more than the movements say were on '
            'the shelf: count it">{} <span class="badge badge--danger">negative</span></span>',
            qty(value),
        )
    return qty(value)

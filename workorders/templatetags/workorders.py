from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from workorders.contributions import render_save_button, render_slot

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """Time spent in a status, the way the counter says it: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def minutes(value: int | None) -> str:
    """A Count Down's minutes the way the counter says them: 45 min, 2 h 30 min."""
    if value is None:
        return ""
    return duration(int(value) * 60)


@register.filter
def money(value) -> str:
    """$1,234.50 — cheaper than floatformat on long lists of lines."""
    if value is None or value == "":
        return ""
    return f"${value:,.2f}"


@register.filter
def quantity(value) -> str:
    """1.50 → 1.5, 2.00 → 2."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.simple_tag
def select_options(bound_field) -> str:
    """A select's options in Python: the editor's selects repeat for every job."""
    value = bound_field.value()
    current = "" if value is None else str(value)
    selected = mark_safe(" selected")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (choice, selected if str(choice) == current else "", label)
            for choice, label in bound_field.field.choices
        ),
    )


@register.simple_tag(takes_context=True)
def contributions(context, slot: str, work_order, oob: bool = False, **options) -> str:
    """What the apps above workorders add to `slot` (see workorders/contributions.py)."""
    return render_slot(slot, context, work_order, oob=oob, **options)


@register.simple_tag(takes_context=True)
def save_button(context, work_order, oob: bool = False) -> str:
    """The details form's Save button, or the one an app contributes (fleet's "Save and Send")."""
    return render_save_button(context, work_order, oob=oob)

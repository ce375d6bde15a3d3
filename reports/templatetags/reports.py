from __future__ import annotations

from decimal import Decimal

from django import template

from reports.selectors import source_mapping_warning_for

register = template.Library()


@register.inclusion_tag("reports/partials/source_mapping_warning.html", takes_context=True)
def source_mapping_warning(context) -> dict:
    """The customer-source mapping warning for this employee, if one applies.

    Shown on the home page now, and on Today's Vehicles board when it arrives.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "warning": source_mapping_warning_for(user, request) if user is not None else None,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def dollars(value: Decimal | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


@register.filter
def times(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}×"

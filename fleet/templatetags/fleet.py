"""The work-order editor's two fleet hooks: the Fleet approval panel and the save button."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from fleet import selectors
from shop.security import can
from workorders.models import WorkOrder

register = template.Library()


def _status(work_order: WorkOrder) -> selectors.FleetStatus | None:
    # The panel and the button read the same status: worked out once per page.
    if not hasattr(work_order, "_fleet_status"):
        work_order._fleet_status = selectors.fleet_status(work_order)
    return work_order._fleet_status


@register.inclusion_tag("fleet/partials/work_order_panel.html", takes_context=True)
def fleet_panel(context, work_order: WorkOrder) -> dict:
    request = context.get("request")
    status = _status(work_order)
    return {
        "wo": work_order,
        "fleet": status,
        "can_send": status is not None
        and request is not None
        and can(request.user, "send_to_fleet", request),
    }


@register.simple_tag(takes_context=True)
def fleet_save_button(context, work_order: WorkOrder) -> str:
    """ "Save", or after a denial or a change "Save and Send to Fleet" (saves, then resubmits)."""
    status = _status(work_order)
    request = context.get("request")
    if (
        status is not None
        and status.resubmits_on_save
        and request is not None
        and can(request.user, "send_to_fleet", request)
    ):
        return format_html(
            '<button class="btn btn--primary" type="submit" formaction="{}">'
            "Save and Send to Fleet</button>",
            reverse("fleet:save_and_send", args=[work_order.pk]),
        )
    return mark_safe('<button class="btn btn--primary" type="submit">Save</button>')

"""The work-order editor's fleet hooks: the Fleet approval panel and the save button (drawn
with the page, and again out of band in every htmx answer that changes a line), and the
fleet's approval printed on the invoice."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from fleet import selectors
from shop.security import can
from workorders.models import WorkOrder

register = template.Library()

# The save button's id: htmx answers replace it out of band.
SAVE_BUTTON_ID = "fleet-save-button"


def _status(work_order: WorkOrder) -> selectors.FleetStatus | None:
    # The panel and the button read the same status: worked out once per page.
    if not hasattr(work_order, "_fleet_status"):
        work_order._fleet_status = selectors.fleet_status(work_order)
    return work_order._fleet_status


@register.inclusion_tag("fleet/partials/work_order_panel.html", takes_context=True)
def fleet_panel(context, work_order: WorkOrder, oob: bool = False) -> dict:
    """The panel; with oob=True, marked to replace the editor's panel out of band (htmx)."""
    request = context.get("request")
    status = _status(work_order)
    return {
        "wo": work_order,
        "fleet": status,
        "oob": oob,
        "can_send": status is not None
        and request is not None
        and can(request.user, "send_to_fleet", request),
    }


@register.simple_tag(takes_context=True)
def fleet_save_button(context, work_order: WorkOrder, oob: bool = False) -> str:
    """ "Save", or after a denial or a change "Save and Send to Fleet" (saves, then resubmits).

    With oob=True (an htmx answer after a line changed) it is drawn only for fleet work,
    marked to replace the editor's button out of band: other work orders' button never
    changes."""
    status = _status(work_order)
    if oob and status is None:
        return ""
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    request = context.get("request")
    if (
        status is not None
        and status.resubmits_on_save
        and request is not None
        and can(request.user, "send_to_fleet", request)
    ):
        return format_html(
            '<button class="btn btn--primary" type="submit" id="{}" formaction="{}"{}>'
            "Save and Send to Fleet</button>",
            SAVE_BUTTON_ID,
            reverse("fleet:save_and_send", args=[work_order.pk]),
            swap,
        )
    return format_html(
        '<button class="btn btn--primary" type="submit" id="{}"{}>Save</button>',
        SAVE_BUTTON_ID,
        swap,
    )


@register.inclusion_tag("fleet/partials/invoice_approval.html")
def fleet_invoice_approval(work_order: WorkOrder) -> dict:
    """The printed invoice's fleet box: approved by the fleet, or billed out without it."""
    return {"approval": selectors.invoice_approval(work_order)}

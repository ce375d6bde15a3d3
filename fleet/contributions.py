"""The fleet's parts of the work-order pages, contributed through workorders.contributions
(workorders sits below fleet and never loads fleet's code): the Fleet approval panel and the
save button in the editor (drawn with the page, and again out of band in every htmx answer
that changes a line), and the fleet's approval printed on the invoice."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from fleet import selectors
from shop.security import can
from workorders import contributions
from workorders.contributions import SAVE_BUTTON_ID
from workorders.models import WorkOrder


def _status(work_order: WorkOrder) -> selectors.FleetStatus | None:
    # The panel and the button read the same status: worked out once per page.
    if not hasattr(work_order, "_fleet_status"):
        work_order._fleet_status = selectors.fleet_status(work_order)
    return work_order._fleet_status


def _may_send(context: Any) -> bool:
    request = context.get("request")
    return request is not None and can(request.user, "send_to_fleet", request)


def panel_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str:
    """The panel; with oob=True, marked to replace the editor's panel out of band (htmx)."""
    status = _status(work_order)
    return render_to_string(
        "fleet/partials/work_order_panel.html",
        {
            "wo": work_order,
            "fleet": status,
            "oob": oob,
            "can_send": status is not None and _may_send(context),
        },
    )


def save_button_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str | None:
    """For fleet work: "Save", or after a denial or a change "Save and Send to Fleet" (saves,
    then resubmits). Other work orders get workorders' own button (None here)."""
    status = _status(work_order)
    if status is None:
        return None
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    if status.resubmits_on_save and _may_send(context):
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


def invoice_approval_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str:
    """The printed invoice's fleet box: approved by the fleet, or billed out without it."""
    return render_to_string(
        "fleet/partials/invoice_approval.html",
        {"approval": selectors.invoice_approval(work_order)},
    )


def register() -> None:
    contributions.register("editor_panel", "fleet", panel_render, order=10)
    contributions.register("editor_save_button", "fleet", save_button_render, order=10)
    contributions.register("invoice_footer", "fleet", invoice_approval_render, order=10)

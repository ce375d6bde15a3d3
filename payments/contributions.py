"""Payments' parts of the work-order pages, through workorders.contributions (workorders
sits below payments and never imports it): the Payments panel in the editor (paid /
partial / unpaid, the balance, the payments taken, Take payment), the Paid column of the
work-order list, and the payments and balance due on the printed invoice."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from payments import selectors
from shop.security import can
from workorders import contributions
from workorders.models import WorkOrder


def _request(context: Any):
    return context.get("request") if context is not None else None


def _may_take(context: Any) -> bool:
    request = _request(context)
    return request is not None and can(request.user, "take_payments", request)


def editor_panel_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str | None:
    """Drawn with the page; the panel does not change when a line changes (no oob part)."""
    if oob or not _may_take(context):
        return None
    request = _request(context)
    balance = selectors.invoice_balance(work_order)
    customer = work_order.customer
    # A family member's invoice is charged to the household's (the main customer's) account.
    holder = customer.household_main if customer.household_main_id else customer
    charge = selectors.account_charge(work_order) if holder.is_ar else None
    return render_to_string(
        "payments/partials/work_order_panel.html",
        {
            "wo": work_order,
            "balance": balance,
            "payments": selectors.payments_for_work_order(work_order),
            "charge": charge,
            "can_charge": holder.is_ar
            and charge is None
            and balance.is_billed
            and balance.balance > 0
            and can(request.user, "charge_to_account", request),
            "request": request,
        },
        request=request,
    )


def list_column_render(
    context: Any, work_order: WorkOrder | None, *, oob: bool = False, rows=None, head=False
) -> str | None:
    """The list's Paid column: the page's balances read once (one query) and kept on `rows`."""
    if not _may_take(context):
        return None
    if head:
        return mark_safe('<th scope="col">Paid</th>')
    balances = getattr(rows, "_payments_balances", None)
    if balances is None:
        balances = selectors.invoice_balances(list(rows) if rows is not None else [work_order])
        if rows is not None:
            rows._payments_balances = balances
    balance = balances.get(work_order.pk) or selectors.invoice_balance(work_order)
    return render_to_string("payments/partials/paid_cell.html", {"balance": balance})


def invoice_footer_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str:
    return render_to_string(
        "payments/partials/invoice_payments.html",
        {
            "wo": work_order,
            "balance": selectors.invoice_balance(work_order),
            "payments": selectors.payments_for_work_order(work_order),
        },
    )


def register() -> None:
    contributions.register("editor_panel", "payments", editor_panel_render, order=5)
    contributions.register("work_order_list_column", "payments", list_column_render, order=10)
    contributions.register("invoice_footer", "payments", invoice_footer_render, order=5)

"""Pay by link's parts of other apps' pages: the editor's "Pay by link" panel (through
workorders.contributions) and the balance with a Pay button on the customer's link
(through messaging.link_panels). Neither lower app names payments."""

from __future__ import annotations

import uuid
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from messaging import link_panels
from messaging.services.conversations import email_address_get, texting_number_get
from payments.providers import provider_get
from payments.selectors_paylink import amount_due, deposit_request_of, link_money
from payments.services.paylink import paylink_url_make
from shop.security import can
from workorders import contributions
from workorders.models import WorkOrder


def editor_panel_render(context: Any, work_order: WorkOrder, *, oob: bool = False) -> str | None:
    request = context.get("request") if context is not None else None
    if oob or request is None or provider_get() is None:
        return None
    if not can(request.user, "send_pay_links", request):
        return None
    due = amount_due(work_order)
    customer = work_order.customer
    return render_to_string(
        "payments/partials/paylink_panel.html",
        {
            "wo": work_order,
            "due": due,
            "is_billed": work_order.closed_at is not None,
            "deposit": None if work_order.closed_at else deposit_request_of(work_order),
            "url": paylink_url_make(work_order) if due else "",
            "phone": texting_number_get(customer) if due else "",
            "email": email_address_get(customer) if due else "",
            "form_token": uuid.uuid4().hex,
        },
        request=request,
    )


def link_panel_render(work_order: WorkOrder, token: str) -> str | None:
    """On the customer's link: what is due, with Pay (to the pay page)."""
    balance, due = link_money(work_order)
    if due is None and not (balance.is_billed and balance.billed > 0):
        return None
    return render_to_string(
        "payments/partials/link_balance.html",
        {
            "due": due,
            "balance": balance,
            "pay_url": reverse("payments:pay", args=[token]),
            "can_pay": provider_get() is not None,
        },
    )


def register() -> None:
    contributions.register("editor_panel", "payments.paylink", editor_panel_render, order=6)
    link_panels.register("payments", link_panel_render, order=10)

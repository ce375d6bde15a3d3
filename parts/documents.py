"""Printed purchasing papers (WeasyPrint, the shop's letterhead like the invoices): a
purchase order for the vendor, and a physical count's sheet."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from parts.models import CountSheet, PurchaseOrder
from shop.selectors import shop_profile_get


def _pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow for pages that never print

    return HTML(string=html, base_url=base_url).write_pdf()


def purchase_order_file_name(order: PurchaseOrder) -> str:
    return f"purchase-order-{order.pk}.pdf"


def purchase_order_pdf(order: PurchaseOrder, *, base_url: str | None = None) -> bytes:
    """`order` from purchasing_selectors.purchase_order_detail (lines and total loaded)."""
    html = render_to_string(
        "parts/pdf/purchase_order.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "shop": shop_profile_get(),
            "printed_at": timezone.localtime(),
        },
    )
    return _pdf(html, base_url)


def purchase_order_attachments(order: PurchaseOrder) -> list[tuple[str, bytes, str]]:
    """The PDF an e-mailed purchase order carries (outbox.attachments, at each try)."""
    from parts.purchasing_selectors import purchase_order_detail

    order = purchase_order_detail(order.pk)
    return [(purchase_order_file_name(order), purchase_order_pdf(order), "application/pdf")]


def count_sheet_pdf(sheet: CountSheet, *, base_url: str | None = None) -> bytes:
    """`sheet` from purchasing_selectors.count_sheet_detail. A blind count: the sheet shows
    no quantity on hand, only a box to write the count in."""
    html = render_to_string(
        "parts/pdf/count_sheet.html",
        {"sheet": sheet, "shop": shop_profile_get(), "printed_at": timezone.localtime()},
    )
    return _pdf(html, base_url)

"""Parts purchasing over the bench catalog of 200,000 parts: the reorder suggestions (every
stocked part below its reorder point, counting what is on order), the purchase-order list,
and the parts list with its On order column."""

from __future__ import annotations

from django.urls import reverse

from bench.harness import Bench, scenario


@scenario("parts.reorder_suggestions")
def reorder_suggestions(bench: Bench) -> None:
    """The page a purchase order is made from: one scan of the stocked parts."""
    client = bench.client_for("advisor")
    url = reverse("parts:po_suggestions")
    bench.measure(lambda i: client.get(url), n=20, warmup=2)


@scenario("parts.purchase_orders")
def purchase_orders(bench: Bench) -> None:
    client = bench.client_for("advisor")
    url = reverse("parts:purchase_orders")
    bench.measure(lambda i: client.get(url, {"status": ""}), n=50)


@scenario("parts.list_on_order")
def list_on_order(bench: Bench) -> None:
    """The parts list, a page at a time, with on hand, committed and on order."""
    client = bench.client_for("advisor")
    url = reverse("parts:list")
    bench.measure(lambda i: client.get(url, {"page": 1 + i % 20}), n=60)


def _page_ids(n: int) -> list[list[int]]:
    from parts.models import Part

    ids = list(Part.objects.order_by("number_key").values_list("pk", flat=True)[: 50 * n])
    return [ids[i * 50 : (i + 1) * 50] for i in range(n)]


@scenario("parts.on_order")
def on_order(bench: Bench) -> None:
    """On order for a page of 50 parts: one grouped query (what the parts list does), and
    the naive way as a baseline: one query per part."""
    from django.db.models import F, Sum

    from parts.models import PurchaseOrderLine
    from parts.purchasing_models import OPEN_STATUSES
    from parts.purchasing_selectors import on_order as grouped

    pages = _page_ids(20)
    bench.measure(lambda i: grouped(pages[i % len(pages)]), n=100, label="parts.on_order")

    def naive(i: int) -> dict:
        totals = {}
        for pk in pages[i % len(pages)]:
            totals[pk] = PurchaseOrderLine.objects.filter(
                part_id=pk, purchase_order__status__in=OPEN_STATUSES
            ).aggregate(total=Sum(F("quantity_ordered") - F("quantity_received")))["total"]
        return totals

    bench.measure(naive, n=100, label="parts.on_order (baseline: a query per part)")

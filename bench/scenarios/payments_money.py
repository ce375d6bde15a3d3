"""Money over the bench shop (payments.seeding.seed_bench): taking a two-tender payment
through the page, A/R Status of the A/R company with 500 open invoices, the A/R aging
report over every customer. Targets (issue #18): p95 under 60 ms with a fixed number of
queries, under 50 ms, under 300 ms."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bench.harness import Bench, scenario


def _open_walk_in_invoices(limit: int) -> list[tuple[int, Decimal]]:
    """(work order id, balance) of open invoices of customers not on account."""
    from django.db.models import Sum

    from payments.models import LedgerEntry

    rows = (
        LedgerEntry.objects.filter(work_order__isnull=False, customer__is_ar=False)
        .values("work_order_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=10)
        .order_by("-work_order_id")[:limit]
    )
    return [(row["work_order_id"], row["balance"]) for row in rows]


@scenario("payments.take")
def take(bench: Bench) -> None:
    """$1 cash and $1 card on an open invoice, as the cashier posts the Take payment form
    (with the balance the page showed); the invoices taken in turn."""
    from payments.services import drawer_default

    client = bench.client_for("advisor")
    invoices = _open_walk_in_invoices(60)
    if not invoices:
        raise RuntimeError("no open invoice: run seed_bench (payments) first")
    balances = dict(invoices)
    drawer = drawer_default().pk
    order = [wo for wo, _balance in invoices]

    def post(i: int):
        wo = order[i % len(order)]
        response = client.post(
            reverse("payments:take", args=[wo]),
            {
                "expected_balance": str(balances[wo]),
                "cash_amount": "1.00",
                "cash_tendered": "1.00",
                "card_amount": "1.00",
                "card_brand": "Visa",
                "card_last4": "4242",
                "auth_code": f"B{i:05d}",
                "drawer": drawer,
            },
        )
        balances[wo] -= 2
        return response

    bench.measure(post, n=100, warmup=5, expect_status=302)


def _ar_company():
    from customers.models import Customer
    from payments.seeding import BENCH_AR_COMPANY

    company = Customer.objects.filter(company_name=BENCH_AR_COMPANY).first()
    if company is None:
        raise RuntimeError("no bench A/R company: run seed_bench (payments) first")
    return company


@scenario("payments.ar_status")
def ar_status(bench: Bench) -> None:
    """A/R Status of the A/R company with 500 open invoices."""
    from payments import selectors

    client = bench.client_for("advisor")
    company = _ar_company()
    url = reverse("payments:ar_status", args=[company.pk])
    open_invoices = len(selectors.ar_status(company).invoices)
    bench.measure(lambda i: client.get(url), n=50, warmup=3, open_invoices=open_invoices)

    # Baseline: the naive way, a balance query per invoice (as a loop over invoice_balance).
    def naive(i: int):
        invoices = list(company.work_orders.filter(closed_at__isnull=False))
        return [selectors.invoice_balance(wo) for wo in invoices]

    bench.measure(
        naive,
        n=10,
        warmup=1,
        label="payments.ar_status.baseline_query_per_invoice",
        expect_status=None,
        open_invoices=open_invoices,
    )


@scenario("reports.ar_aging")
def ar_aging(bench: Bench) -> None:
    """The A/R aging report as of today over every customer of the bench shop."""
    from payments.models import LedgerEntry

    client = bench.client_for("owner")
    url = reverse("payments:ar_aging")
    today = timezone.localdate().isoformat()
    entries = LedgerEntry.objects.count()
    bench.measure(
        lambda i: client.get(url, {"date": today}),
        n=30,
        warmup=3,
        ledger_entries=entries,
    )

"""The reports app's part of the demo shop and the benchmark shop.

Both map the counter's sources into categories, enter some marketing spend, and write the
invoice figures of every billed-out work order that has none yet (the work orders' seeded
history is written without events, so nothing else writes them). The demo leaves one source
unmapped so the mapping warning has something to say.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from customers.models import Customer, CustomerSource
from reports import selectors, services
from reports.models import (
    InvoiceSummary,
    MarketingSpend,
    SourceCategory,
    SourceMapping,
    TechnicianSummary,
)

# The customers app's sources, and where a shop would put them.
CATEGORY_OF = {
    "Google": "Internet",
    "Yelp": "Internet",
    "Facebook": "Internet",
    "Drive-by": "Drive-by",
    "Referral": "Referral",
    "Repeat customer": "Other New Customers",
    "Radio": "Mailers",
}
MONTHLY_SPEND = {"Google": 450, "Yelp": 300, "Facebook": 150, "Radio": 600}


def _months_back(count: int) -> list[date]:
    today = timezone.localdate().replace(day=1)
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months


def _map_sources(skip: set[str]) -> int:
    categories = {c.name: c for c in SourceCategory.objects.all()}
    now = timezone.now()
    created = 0
    for source in CustomerSource.objects.filter(report_mapping__isnull=True):
        category = categories.get(CATEGORY_OF.get(source.name, "Other New Customers"))
        if source.name in skip or category is None:
            continue
        SourceMapping.objects.create(source=source, category=category, mapped_at=now)
        created += 1
    return created


def _spend(months: int, rng: random.Random) -> int:
    sources = {s.name: s for s in CustomerSource.objects.filter(name__in=MONTHLY_SPEND)}
    existing = set(MarketingSpend.objects.values_list("source_id", "month"))
    rows = []
    for month in _months_back(months):
        for name, base in MONTHLY_SPEND.items():
            source = sources.get(name)
            if source is None or (source.pk, month) in existing:
                continue
            amount = Decimal(base + rng.randint(-50, 50)).quantize(Decimal("0.01"))
            rows.append(MarketingSpend(source=source, month=month, amount=amount))
    MarketingSpend.objects.bulk_create(rows)
    return len(rows)


BENCH_FLEET_ACCOUNTS = 300


def _bench_fleet_accounts() -> int:
    """Fleet Activity needs fleet customers with history: the first company customers of the
    bench shop get standard (not fleet-approval) accounts with a bench fleet company."""
    if not apps.is_installed("fleet"):
        return 0
    from fleet.models import FleetAccount, FleetCompany

    company, _ = FleetCompany.objects.get_or_create(
        fleet_company_id="BENCH-FLEET", defaults={"name": "Bench Fleet Services"}
    )
    missing = BENCH_FLEET_ACCOUNTS - FleetAccount.objects.filter(company=company).count()
    if missing <= 0:
        return 0
    customer_ids = (
        Customer.objects.filter(kind="company", fleet_account__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:missing]
    )
    FleetAccount.objects.bulk_create(
        [
            FleetAccount(
                customer_id=pk,
                company=company,
                invoice_method=FleetAccount.InvoiceMethod.STANDARD,
            )
            for pk in customer_ids
        ]
    )
    return len(customer_ids)


@transaction.atomic
def seed_demo(stdout) -> dict:
    selectors.report_settings_get()
    services.source_categories_ensure()
    mapped = _map_sources(skip={"Radio"})
    spend = _spend(12, random.Random(7))
    invoices = services.invoice_summaries_rebuild(only_missing=True)
    return {"mapped": mapped, "spend": spend, "invoices": invoices}


def seed_bench(stdout, *, rng: random.Random) -> None:
    with transaction.atomic():
        selectors.report_settings_get()
        services.source_categories_ensure()
        mapped = _map_sources(skip=set())
        spend = _spend(120, rng)
        invoices = services.invoice_summaries_rebuild(only_missing=True)
        fleet_accounts = _bench_fleet_accounts()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (InvoiceSummary, TechnicianSummary):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    stdout.write(
        f"  reports: {mapped} sources mapped, {spend} months of spend, "
        f"{invoices} invoice summaries written, {fleet_accounts} fleet accounts for Fleet Activity"
    )

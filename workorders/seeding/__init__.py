"""The work-order app's part of the demo shop and the benchmark shop.

The demo gets the standard statuses 1-17, a handful of packages and a lively
day at the counter: appointments, estimates waiting for approval, repair
orders in the bays, invoices billed out, and a few years of history.

The bench gets 250,000 work orders with about 2.5 million lines over ten years
across the customers app's bench vehicles, written with PostgreSQL's COPY.
Seeded history is data, not behaviour: it is written directly (totals by the
same rounding rule as the services) and publishes no events, so no customer
is texted about a repair from 2017.
"""

from workorders.seeding.bench import BENCH_WORK_ORDERS, seed_bench, seed_work_orders
from workorders.seeding.catalog import (
    PACKAGES,
    STANDARD_STATUSES,
    packages_ensure,
    statuses_ensure,
)
from workorders.seeding.demo import seed_demo

__all__ = [
    "BENCH_WORK_ORDERS",
    "PACKAGES",
    "STANDARD_STATUSES",
    "packages_ensure",
    "seed_bench",
    "seed_demo",
    "seed_work_orders",
    "statuses_ensure",
]

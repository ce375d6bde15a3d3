"""Reports over the bench shop's 250,000 work orders: one year and ten years of the Customer
Source report, the Vehicle Analysis and Fleet Activity, and the owner's dashboard."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bench.harness import Bench, scenario


def _ranges() -> dict[str, dict[str, str]]:
    today = timezone.localdate()
    return {
        "1y": {"period": "year", "date": today.isoformat()},
        "10y": {
            "period": "custom",
            "start": (today - timedelta(days=3653)).isoformat(),
            "end": today.isoformat(),
        },
    }


def _invoices() -> int:
    from reports.models import InvoiceSummary

    return InvoiceSummary.objects.count()


def _measure_ranges(bench: Bench, name: str, url_name: str, extra: dict | None = None) -> None:
    client = bench.client_for("owner")
    url = reverse(url_name)
    invoices = _invoices()
    for label, params in _ranges().items():
        bench.measure(
            lambda i, params=params: client.get(url, {**params, **(extra or {})}),
            n=30,
            warmup=3,
            label=f"{name}.{label}",
            invoices_in_shop=invoices,
        )


@scenario("reports.source")
def source(bench: Bench) -> None:
    _measure_ranges(bench, "reports.source", "reports:source")


@scenario("reports.vehicle_analysis")
def vehicle_analysis(bench: Bench) -> None:
    _measure_ranges(bench, "reports.vehicle_analysis", "reports:vehicle_analysis")
    _measure_ranges(
        bench, "reports.vehicle_analysis.by_year", "reports:vehicle_analysis", {"by_year": "on"}
    )


@scenario("reports.fleet_activity")
def fleet_activity(bench: Bench) -> None:
    from fleet.models import FleetAccount
    from reports.models import InvoiceSummary

    fleet_invoices = InvoiceSummary.objects.filter(customer__fleet_account__isnull=False).count()
    _measure_ranges(bench, "reports.fleet_activity", "reports:fleet_activity")
    for row in bench.rows:
        row["fleet_customers"] = FleetAccount.objects.count()
        row["fleet_invoices_in_shop"] = fleet_invoices


@scenario("reports.dashboard")
def dashboard(bench: Bench) -> None:
    client = bench.client_for("owner")
    url = reverse("reports:dashboard")
    bench.measure(lambda i: client.get(url), n=60, label="reports.dashboard")
    bench.measure(
        lambda i: client.get(url, {"period": "year", "date": timezone.localdate().isoformat()}),
        n=30,
        label="reports.dashboard.year",
    )

"""Every figure of every report, against values worked out by hand on the November shop
(tests/reports/factories.py), to the cent.

Per invoice (sales before tax / cost / labor sales, cost / parts sales, cost / hours / total):
  A2 260.00 105.00 | 200.00  80.00 |  60.00  25.00 | 2.0 | 264.95 | 95,000  | Sam   | Tina
  B1 269.99 103.07 | 180.00  67.52 |  89.99  35.55 | 1.5 | 277.41 | 45,000  | Sam   | Tina
  B2 109.96  43.02 |  60.00  22.50 |  49.96  20.52 | 0.5 | 114.08 | 45,500  | owner | Tina
  C1 280.00 190.00 | 100.00  40.00 | 180.00 150.00 | 1.0 | 294.85 | 29,999  | Sam   | Theo
  D1 300.00 120.00 | 300.00 120.00 |   0.00   0.00 | 3.0 | 300.00 | 150,000 | owner | Theo
  E1 140.00  50.00 | 100.00  40.00 |  40.00  10.00 | 1.0 | 143.30 | (none)  | owner | nobody
  F1 120.00  45.00 | 100.00  40.00 |  20.00   5.00 | 1.0 | 121.65 | 30,000  | owner | Tina
B1's labor cost is 1.5 h × $45.01 = $67.515, rounded half up to $67.52. C1's part has a
$20.00 discount. F1's declined job ($500 part) is neither sold nor costed. A1 (October) and
G1 (December 1, 00:30 local; D1 is November 30, 23:30 local) fall outside November.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from reports import selectors
from reports.models import InvoiceSummary
from reports.periods import period_for

pytestmark = pytest.mark.django_db

NOVEMBER = period_for("month", date(2026, 11, 15))
BANDS = [30000, 60000, 90000, 120000, 150000]


def test_it_writes_each_invoice_s_frozen_figures(shop):
    b1 = InvoiceSummary.objects.get(work_order=shop.invoices["B1"])
    assert (b1.sales, b1.cost, b1.labor_sales, b1.labor_cost) == (
        D("269.99"),
        D("103.07"),
        D("180.00"),
        D("67.52"),
    )
    assert (b1.parts_sales, b1.parts_cost, b1.hours_sold, b1.invoice_total) == (
        D("89.99"),
        D("35.55"),
        D("1.50"),
        D("277.41"),
    )
    f1 = InvoiceSummary.objects.get(work_order=shop.invoices["F1"])
    assert (f1.sales, f1.cost, f1.invoice_total) == (D("120.00"), D("45.00"), D("121.65"))
    e1 = InvoiceSummary.objects.get(work_order=shop.invoices["E1"])
    assert e1.odometer is None


def test_it_adds_up_the_dashboard(shop):
    report = selectors.dashboard(NOVEMBER)
    total = report.total
    assert total.car_count == 7
    assert total.sales == D("1479.95")
    assert total.cost == D("656.09")
    assert total.invoice_total == D("1516.24")
    assert total.average_repair_order == D("211.42")
    assert total.gross_profit == D("823.86")
    assert total.gross_profit_percent == D("55.7")
    assert total.parts_gross_profit_percent == D("44.1")
    assert total.labor_gross_profit_percent == D("60.6")
    assert total.hours_sold == D("10.00")

    days = {f.day: f for f in report.days}
    assert [f.day.day for f in report.days] == [3, 5, 10, 15, 20, 30]
    tenth = days[date(2026, 11, 10)]
    assert (tenth.car_count, tenth.sales, tenth.cost) == (2, D("549.99"), D("293.07"))
    assert tenth.average_repair_order == D("275.00")
    assert tenth.gross_profit_percent == D("46.7")
    assert days[date(2026, 11, 30)].sales == D("300.00")

    sam, owner = report.advisors
    assert sam.label == f"{shop.sam.first_name} {shop.sam.last_name}"
    assert (sam.car_count, sam.sales, sam.cost) == (3, D("809.99"), D("398.07"))
    assert sam.average_repair_order == D("270.00")
    assert sam.gross_profit_percent == D("50.9")
    assert sam.parts_gross_profit_percent == D("36.2")
    assert sam.labor_gross_profit_percent == D("60.9")
    assert sam.hours_sold == D("4.50")
    assert (owner.car_count, owner.sales, owner.cost) == (4, D("669.96"), D("258.02"))
    assert owner.average_repair_order == D("167.49")
    assert owner.gross_profit_percent == D("61.5")
    assert owner.parts_gross_profit_percent == D("67.7")
    assert owner.labor_gross_profit_percent == D("60.3")
    assert owner.hours_sold == D("5.50")

    tina, theo, nobody = report.technicians
    assert (tina.label, tina.car_count, tina.hours_sold) == ("Tina One", 4, D("5.00"))
    assert (tina.labor_sales, tina.labor_cost) == (D("540.00"), D("210.02"))
    assert tina.labor_gross_profit_percent == D("61.1")
    assert (theo.label, theo.car_count, theo.hours_sold) == ("Theo Two", 2, D("4.00"))
    assert (theo.labor_sales, theo.labor_gross_profit_percent) == (D("400.00"), D("60.0"))
    assert (nobody.label, nobody.car_count, nobody.hours_sold) == ("Not assigned", 1, D("1.00"))


def test_it_adds_up_the_vehicle_analysis(shop):
    report = selectors.vehicle_analysis(NOVEMBER, band_starts=BANDS, by_year=False)
    rows = {band.label: band for band in report.bands}
    assert list(rows) == [
        "Under 30,000",
        "30,000 – 59,999",
        "60,000 – 89,999",
        "90,000 – 119,999",
        "120,000 – 149,999",
        "150,000 and up",
        "Mileage not written",
    ]

    def figures(band):
        return (
            band.vehicles,
            band.invoices,
            band.invoice_total,
            band.invoice_average,
            band.percent,
            band.sales,
            band.cost,
            band.margin,
            band.margin_percent,
        )

    assert figures(rows["Under 30,000"]) == (
        1, 1, D("294.85"), D("294.85"), D("14.3"), D("280.00"), D("190.00"), D("90.00"), D("32.1"),
    )  # fmt: skip
    assert figures(rows["30,000 – 59,999"]) == (
        2, 3, D("513.14"), D("171.05"), D("42.9"), D("499.95"), D("191.09"), D("308.86"),
        D("61.8"),
    )  # fmt: skip
    assert figures(rows["60,000 – 89,999"]) == (
        0, 0, D("0.00"), None, D("0.0"), D("0.00"), D("0.00"), D("0.00"), None,
    )  # fmt: skip
    assert figures(rows["90,000 – 119,999"]) == (
        1, 1, D("264.95"), D("264.95"), D("14.3"), D("260.00"), D("105.00"), D("155.00"),
        D("59.6"),
    )  # fmt: skip
    assert figures(rows["150,000 and up"]) == (
        1, 1, D("300.00"), D("300.00"), D("14.3"), D("300.00"), D("120.00"), D("180.00"),
        D("60.0"),
    )  # fmt: skip
    assert figures(rows["Mileage not written"]) == (
        1, 1, D("143.30"), D("143.30"), D("14.3"), D("140.00"), D("50.00"), D("90.00"), D("64.3"),
    )  # fmt: skip
    assert figures(report.total) == (
        6, 7, D("1516.24"), D("216.61"), D("100.0"), D("1479.95"), D("656.09"), D("823.86"),
        D("55.7"),
    )  # fmt: skip


def test_it_breaks_the_vehicle_analysis_out_by_year(shop):
    report = selectors.vehicle_analysis(NOVEMBER, band_starts=BANDS, by_year=True)
    band = report.bands[1]
    assert [(y.label, y.vehicles, y.invoices, y.invoice_total) for y in band.years] == [
        ("2020", 1, 1, D("121.65")),
        ("2018", 1, 2, D("391.49")),
    ]
    assert band.years[1].invoice_average == D("195.75")  # 391.49 / 2 = 195.745, half up
    assert band.years[1].percent == D("28.6")


def test_it_follows_the_mileage_bands_setting(shop):
    report = selectors.vehicle_analysis(NOVEMBER, band_starts=[50000], by_year=False)
    assert [(b.label, b.invoices) for b in report.bands] == [
        ("Under 50,000", 4),
        ("50,000 and up", 2),
        ("Mileage not written", 1),
    ]


def test_it_adds_up_the_customer_source_report(shop):
    report = selectors.source_report(NOVEMBER)
    categories = {c.name: c for c in report.categories}
    assert list(categories) == [
        "Internet",
        "Referral",
        "Drive-by",
        "Signage",
        "Mailers",
        "Fleet",
        "Other New Customers",
        "Source unknown",
    ]

    def figures(f):
        return (
            f.new_customers,
            f.returning_customers,
            f.invoices,
            f.revenue,
            f.spend,
            f.cost_per_new_customer,
            f.return_on_spend,
        )

    internet = categories["Internet"]
    sources = {s.name: s for s in internet.sources}
    assert list(sources) == ["Facebook", "Google", "Yelp"]
    assert figures(sources["Google"]) == (
        1, 1, 3, D("639.95"), D("600.00"), D("600.00"), D("1.07"),
    )  # fmt: skip
    assert figures(sources["Yelp"]) == (1, 0, 1, D("280.00"), D("250.00"), D("250.00"), D("1.12"))
    assert figures(sources["Facebook"]) == (0, 0, 0, D("0.00"), D("0.00"), None, None)
    assert figures(internet) == (2, 1, 4, D("919.95"), D("850.00"), D("425.00"), D("1.08"))
    assert figures(categories["Referral"]) == (1, 0, 1, D("300.00"), D("0.00"), None, None)
    assert figures(categories["Drive-by"]) == (0, 0, 0, D("0.00"), D("0.00"), None, None)
    unmapped = categories["Source unknown"]
    assert [s.name for s in unmapped.sources] == ["Radio", "Source not set"]
    assert figures(unmapped.sources[0]) == (1, 0, 1, D("140.00"), D("90.00"), D("90.00"), D("1.56"))
    assert figures(unmapped.sources[1]) == (1, 0, 1, D("120.00"), D("0.00"), None, None)
    assert figures(report.total) == (5, 1, 7, D("1479.95"), D("940.00"), D("188.00"), D("1.57"))


def test_it_prorates_spend_over_part_months(shop):
    half = period_for("custom", date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 15))
    report = selectors.source_report(half)
    google = next(s for s in report.categories[0].sources if s.name == "Google")
    assert google.spend == D("300.00")  # 600 × 15/30
    across = period_for("custom", date(2026, 10, 20), date(2026, 10, 20), date(2026, 11, 15))
    report = selectors.source_report(across)
    google = next(s for s in report.categories[0].sources if s.name == "Google")
    # October: 999 × 12/31 = 386.709... → 386.71; November: 600 × 15/30 = 300.00.
    assert google.spend == D("686.71")
    # Ann's first invoice (October 20) is inside this range: she is new here.
    assert (google.new_customers, google.returning_customers, google.invoices) == (2, 0, 3)


def test_it_forgets_a_reopened_invoice_and_counts_it_again_when_billed(shop, statuses):
    from workorders import services

    b2 = shop.invoices["B2"]
    services.workorder_reopen(
        by=shop.owner, work_order=b2, version=b2.version, status=statuses[6], reason="Fix"
    )
    assert not InvoiceSummary.objects.filter(work_order=b2).exists()
    assert selectors.dashboard(NOVEMBER).total.car_count == 6
    b2.refresh_from_db()
    services.workorder_status_set(
        by=shop.owner, work_order=b2, version=b2.version, status=statuses[17]
    )
    assert InvoiceSummary.objects.get(work_order=b2).sales == D("109.96")


def test_combining_customers_moves_their_invoice_figures(shop):
    from customers.services.combine import customers_combine

    # Gus (G1, December) is combined into Ann: Ann's figures follow, Gus has none left.
    customers_combine(
        by=shop.owner, survivor_id=shop.customers["A"].pk, merged_id=shop.customers["G"].pk
    )
    g1 = InvoiceSummary.objects.get(work_order=shop.invoices["G1"])
    assert g1.customer_id == shop.customers["A"].pk
    december = period_for("month", date(2026, 12, 1))
    google = next(
        s for s in selectors.source_report(december).categories[0].sources if s.name == "Google"
    )
    assert (google.new_customers, google.returning_customers) == (0, 1)

"""Vehicle Analysis: the vehicles serviced in the period by mileage band (the bands are a
report setting), optionally broken out by vehicle year.

Per band: vehicles (different vehicles), invoices, invoice total (with tax), invoice
average (total ÷ invoices), percent (of the period's invoices), sales (before tax), cost,
margin (sales − cost) and margin percent (margin ÷ sales). The mileage is the odometer out
of the visit (odometer in when out was not written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Sum, Value, When

from reports.models import InvoiceSummary
from reports.periods import Period
from reports.selectors.database import report_queries
from reports.selectors.figures import ZERO, average, money, percent

NO_MILEAGE = -1


@dataclass
class BandFigures:
    label: str
    vehicles: int = 0
    invoices: int = 0
    invoice_total: Decimal = ZERO
    sales: Decimal = ZERO
    cost: Decimal = ZERO
    all_invoices: int = 0
    years: list[BandFigures] = field(default_factory=list)

    @property
    def invoice_average(self) -> Decimal | None:
        return average(self.invoice_total, self.invoices)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.invoices, self.all_invoices)

    @property
    def margin(self) -> Decimal:
        return self.sales - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        return percent(self.margin, self.sales)


@dataclass
class VehicleAnalysis:
    period: Period
    by_year: bool
    bands: list[BandFigures]
    total: BandFigures

    def csv_rows(self) -> list[list]:
        header = ["Mileage", "Vehicle year"] if self.by_year else ["Mileage"]
        rows = [
            [
                *header,
                "Vehicles",
                "Invoices",
                "Invoice total",
                "Invoice average",
                "Percent of invoices",
                "Sales",
                "Cost",
                "Margin",
                "Margin percent",
            ]
        ]

        def line(label: list, f: BandFigures) -> list:
            return [
                *label,
                f.vehicles,
                f.invoices,
                f.invoice_total,
                "" if f.invoice_average is None else f.invoice_average,
                "" if f.percent is None else f.percent,
                f.sales,
                f.cost,
                f.margin,
                "" if f.margin_percent is None else f.margin_percent,
            ]

        for band in self.bands:
            rows.append(line([band.label, "All"] if self.by_year else [band.label], band))
            rows.extend(line([band.label, year.label], year) for year in band.years)
        rows.append(line(["All mileages", "All"] if self.by_year else ["All mileages"], self.total))
        return rows


def band_labels(starts: list[int]) -> dict[int, str]:
    labels = {0: f"Under {starts[0]:,}"}
    for index, start in enumerate(starts, 1):
        if index < len(starts):
            labels[index] = f"{start:,} – {starts[index] - 1:,}"
        else:
            labels[index] = f"{start:,} and up"
    labels[NO_MILEAGE] = "Mileage not written"
    return labels


def band_expression(starts: list[int]) -> Case:
    whens = [When(odometer__isnull=True, then=Value(NO_MILEAGE))]
    whens += [When(odometer__lt=start, then=Value(index)) for index, start in enumerate(starts)]
    return Case(*whens, default=Value(len(starts)), output_field=IntegerField())


AGGREGATES = {
    "invoices": Count("pk"),
    "vehicles": Count("vehicle_id", distinct=True),
    "invoice_total": Sum("invoice_total"),
    "sales": Sum("sales"),
    "cost": Sum("cost"),
}


def _figures(label: str, row: dict, all_invoices: int) -> BandFigures:
    return BandFigures(
        label=label,
        vehicles=row.get("vehicles") or 0,
        invoices=row.get("invoices") or 0,
        invoice_total=money(row.get("invoice_total")),
        sales=money(row.get("sales")),
        cost=money(row.get("cost")),
        all_invoices=all_invoices,
    )


def _vehicle_analysis(period: Period, *, band_starts: list[int], by_year: bool) -> VehicleAnalysis:
    start, after = period.bounds
    invoices = InvoiceSummary.objects.filter(closed_at__gte=start, closed_at__lt=after).annotate(
        band=band_expression(band_starts)
    )
    total_row = invoices.aggregate(**AGGREGATES)
    all_invoices = total_row["invoices"] or 0
    labels = band_labels(band_starts)
    bands: dict[int, BandFigures] = {}
    if by_year:
        # A vehicle has one year, so a band's different vehicles are the sum of its years'.
        year_rows = (
            invoices.values("band", year=F("vehicle__year"))
            .annotate(**AGGREGATES)
            .order_by("band", F("year").desc(nulls_last=True))
        )
        for row in year_rows:
            band = bands.setdefault(
                row["band"], BandFigures(labels[row["band"]], all_invoices=all_invoices)
            )
            year = _figures(
                str(row["year"]) if row["year"] else "Year not known", row, all_invoices
            )
            band.years.append(year)
            band.vehicles += year.vehicles
            band.invoices += year.invoices
            band.invoice_total += year.invoice_total
            band.sales += year.sales
            band.cost += year.cost
    else:
        band_rows = invoices.values("band").annotate(**AGGREGATES).order_by()
        bands = {row["band"]: _figures(labels[row["band"]], row, all_invoices) for row in band_rows}
    ordered = [
        bands.get(index) or BandFigures(labels[index], all_invoices=all_invoices)
        for index in range(len(band_starts) + 1)
    ]
    if NO_MILEAGE in bands:
        ordered.append(bands[NO_MILEAGE])
    total = _figures("All mileages", total_row, all_invoices)
    return VehicleAnalysis(period=period, by_year=by_year, bands=ordered, total=total)


__all__ = ["VehicleAnalysis", "band_labels", "vehicle_analysis"]


def vehicle_analysis(period: Period, *, band_starts: list[int], by_year: bool) -> VehicleAnalysis:
    with report_queries():
        return _vehicle_analysis(period, band_starts=band_starts, by_year=by_year)

"""The parts reports under the reports menu: inventory valuation, low stock and reorder,
parts sales and margin, dead stock. Each reads its filters from the URL and answers
?export=csv or ?export=pdf with the same figures, through reports.exports like every
other report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from parts import inventory_reports
from parts.forms_reports import DeadStockForm, LowStockForm
from reports import exports
from reports.periods import PeriodForm
from shop.security import security_function

DEAD_STOCK_MONTHS = 12


def _export_links(request: HttpRequest) -> dict[str, str]:
    query = request.GET.copy()
    links = {}
    for kind in ("csv", "pdf"):
        query["export"] = kind
        links[kind] = f"{request.path}?{query.urlencode()}"
    return links


def _respond(
    request: HttpRequest, *, name: str, template: str, context: dict, full=None
) -> HttpResponse:
    """The page, or its CSV or PDF. `full` builds the report without the page's row limit
    for the files (None: the page's report is complete)."""
    context = {"export_links": _export_links(request), "title": context["title"], **context}
    export = request.GET.get("export")
    if export in ("csv", "pdf"):
        report = full() if full is not None and context["report"].limited else context["report"]
        context = {**context, "report": report}
        file_name = f"{name}_{report.period.file_label}"
        if export == "csv":
            return exports.csv_response(report.csv_rows(), file_name)
        return exports.pdf_response(request, f"parts/reports/pdf/{template}", context, file_name)
    if export:
        context["export_error"] = "Export as csv or pdf."
        return render(request, f"parts/reports/{template}", context, status=400)
    return render(request, f"parts/reports/{template}", context)


def _invalid(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"parts/reports/{template}", context, status=400)


@require_GET
@security_function("parts_reports")
def inventory_valuation(request: HttpRequest) -> HttpResponse:
    report = inventory_reports.inventory_valuation()
    return _respond(
        request,
        name="inventory-valuation",
        template="inventory_valuation.html",
        context={"title": "Inventory valuation", "report": report},
    )


@require_GET
@security_function("parts_reports")
def low_stock(request: HttpRequest) -> HttpResponse:
    form = LowStockForm(request.GET, categories=inventory_reports.report_categories())
    context = {"title": "Low stock and reorder", "form": form}
    if not form.is_valid():
        return _invalid(request, "low_stock.html", context)
    category = form.cleaned_data["category"]
    context["report"] = inventory_reports.low_stock(category=category)
    return _respond(
        request,
        name="low-stock",
        template="low_stock.html",
        context=context,
        full=lambda: inventory_reports.low_stock(category=category, limit=None),
    )


@require_GET
@security_function("parts_reports")
def parts_sales(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        form = PeriodForm({"period": "month", "date": timezone.localdate().isoformat()})
    context = {"title": "Parts sales and margin", "form": form}
    if not form.is_valid():
        return _invalid(request, "parts_sales.html", context)
    context["report"] = inventory_reports.parts_sales(form.to_period())
    return _respond(request, name="parts-sales", template="parts_sales.html", context=context)


@require_GET
@security_function("parts_reports")
def dead_stock(request: HttpRequest) -> HttpResponse:
    form = DeadStockForm(request.GET)
    context = {"title": "Dead stock", "form": form}
    if not form.is_valid():
        return _invalid(request, "dead_stock.html", context)
    months = form.cleaned_data["months"] or DEAD_STOCK_MONTHS
    context["report"] = inventory_reports.dead_stock(months=months)
    return _respond(
        request,
        name="dead-stock",
        template="dead_stock.html",
        context=context,
        full=lambda: inventory_reports.dead_stock(months=months, limit=None),
    )

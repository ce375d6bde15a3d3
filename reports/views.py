"""Report pages and the source mapping. Every report reads its filters from the URL, so a
report can be bookmarked, and answers ?export=csv or ?export=pdf with the same figures."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from customers.models import Customer, CustomerSource
from reports import charts, dashboard_figures, exports, selectors, services
from reports.forms import (
    MonthForm,
    ReportSettingsForm,
    SourceCategoryForm,
    VehicleAnalysisOptionsForm,
    category_choices,
)
from reports.models import SourceCategory
from reports.periods import PeriodForm
from reports.selectors.mapping import source_mapping_counts
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function


def _period_form(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        form = PeriodForm({"period": "month", "date": timezone.localdate().isoformat()})
    return form


def _export_links(request: HttpRequest) -> dict[str, str]:
    query = request.GET.copy()
    links = {}
    for kind in ("csv", "pdf"):
        query["export"] = kind
        links[kind] = f"{request.path}?{query.urlencode()}"
    return links


def _report(
    request: HttpRequest,
    *,
    template: str,
    pdf_template: str,
    name: str,
    build,
    extra_forms: tuple = (),
) -> HttpResponse:
    """Parse the period, build the report (or show what is wrong), render or export it."""
    form = _period_form(request)
    valid = form.is_valid() and all(extra.is_valid() for extra in extra_forms)
    context = {"form": form, "extra_forms": extra_forms, "export_links": _export_links(request)}
    if not valid:
        return render(request, template, context, status=400)
    period = form.to_period()
    report = build(period)
    context.update(report)
    export = request.GET.get("export")
    file_name = f"{name}_{period.file_label}"
    if export == "csv":
        return exports.csv_response(report["report"].csv_rows(), file_name)
    if export == "pdf":
        return exports.pdf_response(request, pdf_template, context, file_name)
    if export:
        context["export_error"] = "Export as csv or pdf."
        return render(request, template, context, status=400)
    return render(request, template, context)


@security_function("customer_source_report")
def source_report(request: HttpRequest) -> HttpResponse:
    def build(period) -> dict:
        report = selectors.source_report(period)
        new_chart = charts.bar_chart(
            "New customers by category",
            [(c.name, c.new_customers, str(c.new_customers)) for c in report.categories],
        )
        revenue_chart = charts.bar_chart(
            "Revenue by category",
            [(c.name, c.revenue, f"${c.revenue:,.2f}") for c in report.categories],
        )
        return {"report": report, "charts": [new_chart, revenue_chart]}

    return _report(
        request,
        template="reports/source_report.html",
        pdf_template="reports/pdf/source_report.html",
        name="customer-source",
        build=build,
    )


@security_function("vehicle_analysis_report")
def vehicle_analysis(request: HttpRequest) -> HttpResponse:
    options = VehicleAnalysisOptionsForm(request.GET)
    band_starts = selectors.report_settings_get().band_starts

    def build(period) -> dict:
        report = selectors.vehicle_analysis(
            period, band_starts=band_starts, by_year=options.cleaned_data["by_year"]
        )
        chart = charts.bar_chart(
            "Invoices by mileage",
            [
                (band.label, band.invoices, f"{band.invoices} ({band.percent or 0}%)")
                for band in report.bands
            ],
        )
        return {"report": report, "charts": [chart]}

    return _report(
        request,
        template="reports/vehicle_analysis.html",
        pdf_template="reports/pdf/vehicle_analysis.html",
        name="vehicle-analysis",
        build=build,
        extra_forms=(options,),
    )


@security_function("fleet_activity_report")
def fleet_activity(request: HttpRequest) -> HttpResponse:
    def build(period) -> dict:
        report = selectors.fleet_activity(period)
        served = [c for c in report.customers if c.visits]
        chart = charts.bar_chart(
            "Invoice totals by fleet customer",
            [(c.label, c.total, f"${c.total:,.2f}") for c in served[:20]],
        )
        return {"report": report, "charts": [chart] if served else []}

    return _report(
        request,
        template="reports/fleet_activity.html",
        pdf_template="reports/pdf/fleet_activity.html",
        name="fleet-activity",
        build=build,
    )


@security_function("owner_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    def build(period) -> dict:
        report = selectors.dashboard(period)
        day_chart = charts.column_chart(
            "Car count by day",
            [(f"{f.day.day}", f.car_count, str(f.car_count)) for f in report.days],
        )
        sales_chart = charts.column_chart(
            "Sales by day", [(f"{f.day.day}", f.sales, f"${f.sales:,.0f}") for f in report.days]
        )
        tech_chart = charts.bar_chart(
            "Hours sold by technician",
            [(f.label, f.hours_sold, f"{f.hours_sold} h") for f in report.technicians],
        )
        return {
            "report": report,
            "charts": [day_chart, sales_chart, tech_chart],
            # What apps above reports add (reports/dashboard_figures.py): money, A/R.
            "more_figures": dashboard_figures.figures_for(period, request),
        }

    return _report(
        request,
        template="reports/dashboard.html",
        pdf_template="reports/pdf/dashboard.html",
        name="dashboard",
        build=build,
    )


# --- Customer source mapping ---------------------------------------------------------


@security_function("map_customer_sources")
def source_mapping(request: HttpRequest) -> HttpResponse:
    """The mapping page. Its form posts here: save the mapping, mark it done, or add a category."""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "done":
            _mapping_done(request)
            return redirect(_next_url(request))
        if action == "add_category":
            _category_add(request)
            return redirect("reports:source_mapping")
        if _mapping_save(request):
            return redirect("reports:source_mapping")
    return render(
        request,
        "reports/source_mapping.html",
        {
            "rows": list(selectors.source_mapping_rows()),
            "choices": category_choices(),
            "categories": list(SourceCategory.objects.order_by("position", "name")),
            "category_form": SourceCategoryForm(),
            "counts": source_mapping_counts(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("reports:source_mapping")


def _mapping_save(request: HttpRequest) -> bool:
    mapping: dict[int, int | None] = {}
    for key, raw in request.POST.items():
        if key.startswith("source_") and key.removeprefix("source_").isdigit():
            value = raw.strip()
            if value and not value.isdigit():
                messages.error(request, "Choose a category from the list.")
                return False
            mapping[int(key.removeprefix("source_"))] = int(value) if value else None
    try:
        mapped, unmapped = services.source_mappings_set(by=request.user, mapping=mapping)
    except ServiceError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, f"Mapping saved: {mapped} mapped, {unmapped} unmapped.")
    return True


def _mapping_done(request: HttpRequest) -> None:
    try:
        count = services.source_mapping_done(by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Customer source mapping is done: {count} unmapped source"
            f"{'s' if count != 1 else ''} went to Other New Customers.",
        )


def _category_add(request: HttpRequest) -> None:
    form = SourceCategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new category a name.")
        return
    try:
        category = services.source_category_create(by=request.user, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Category {category} was added.")


@require_POST
@security_function("map_customer_sources")
def source_category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(SourceCategory, pk=category_id)
    try:
        if request.POST.get("action") == "delete":
            services.source_category_delete(by=request.user, category=category)
            messages.success(request, f"Category {category} was deleted.")
        else:
            services.source_category_rename(
                by=request.user, category=category, name=request.POST.get("name", "")
            )
            messages.success(request, f"Category renamed to {category}.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("reports:source_mapping")


@require_POST
@security_function("map_customer_sources")
def source_warning_dismiss(request: HttpRequest, warning: str) -> HttpResponse:
    try:
        services.source_warning_dismiss(user=request.user, warning=warning)
    except ServiceError as error:
        return HttpResponse(error.message, status=400)
    if request.htmx:
        return HttpResponse("")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


# --- A customer's source, from the board ---------------------------------------------


@security_function("set_customer_source")
def customer_source(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: the picker for a flashing name. POST: set the source, answer the name."""
    customer = get_object_or_404(Customer.objects.select_related("source"), pk=customer_id)
    error = None
    if request.method == "POST":
        try:
            customer = services.customer_source_set(
                by=request.user, customer=customer, source_id=request.POST.get("source")
            )
        except ServiceError as problem:
            error = problem.message
        else:
            unknown = bool(selectors.customers_with_unknown_source([customer.pk]))
            return render(
                request,
                "reports/partials/customer_name.html",
                {"customer": customer, "unknown_source": unknown},
            )
    sources = CustomerSource.objects.filter(is_active=True).order_by("name")
    return render(
        request,
        "reports/partials/customer_source_picker.html",
        {"customer": customer, "sources": sources, "error": error},
        status=400 if error else 200,
    )


# --- Marketing spend and settings ----------------------------------------------------


@security_function("edit_marketing_spend")
def marketing_spend(request: HttpRequest) -> HttpResponse:
    month_form = MonthForm(request.GET or {"month": timezone.localdate().strftime("%Y-%m")})
    if not month_form.is_valid():
        month: date = timezone.localdate().replace(day=1)
        month_form = MonthForm({"month": month.strftime("%Y-%m")})
        month_form.is_valid()
        messages.error(request, "Pick a month like 2026-11.")
    month = month_form.cleaned_data["month"].replace(day=1)
    sources = list(CustomerSource.objects.order_by("-is_active", "name"))
    status = 200
    if request.method == "POST":
        amounts = {source.pk: request.POST.get(f"source_{source.pk}", "") for source in sources}
        try:
            saved = services.marketing_spend_set(by=request.user, month=month, amounts=amounts)
        except ServiceError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, f"Spend for {month:%B %Y} saved ({saved} sources).")
            return redirect(f"{reverse('reports:marketing_spend')}?month={month:%Y-%m}")
    spend = selectors.marketing_spend_for_month(month)
    rows = [
        {
            "source": source,
            "value": request.POST.get(f"source_{source.pk}")
            if request.method == "POST"
            else (spend.get(source.pk) if source.pk in spend else ""),
        }
        for source in sources
    ]
    return render(
        request,
        "reports/marketing_spend.html",
        {"month_form": month_form, "month": month, "rows": rows},
        status=status,
    )


@security_function("edit_report_settings")
def report_settings(request: HttpRequest) -> HttpResponse:
    row = selectors.report_settings_get()
    form = ReportSettingsForm(request.POST or None, initial={"mileage_bands": row.mileage_bands})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_settings_update(by=request.user, **form.cleaned_data)
            except ServiceError as error:
                form_error(form, error)
            else:
                messages.success(request, "Report settings saved.")
                return redirect("reports:settings")
        status = 400
    return render(request, "reports/settings.html", {"form": form}, status=status)

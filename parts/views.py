"""The parts list, a part's page (vendors, stock and its movements), the catalog's forms,
vendors, the pricing matrix, the editor's typeahead and adding a catalog part to a job."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from parts import selectors, services
from parts.forms import (
    PartForm,
    PartLineForm,
    PartsSearchForm,
    PricingBandFormSet,
    StockAdjustForm,
    StockCountForm,
    StockReceiveForm,
    VendorForm,
    VendorPartForm,
)
from parts.models import Part, Vendor, VendorPart
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import can, check, security_function
from workorders.forms import LineForm
from workorders.models import Job, Line, WorkOrder
from workorders.selectors import may_see


@require_GET
@security_function("view_parts")
def parts_list(request: HttpRequest) -> HttpResponse:
    form = PartsSearchForm(request.GET, categories=selectors.part_categories())
    form.is_valid()
    data = form.cleaned_data if form.is_valid() else {}
    try:
        page_number = int(request.GET.get("page") or 1)
    except ValueError:
        page_number = 1
    page = selectors.parts_page(
        text=data.get("q") or "",
        category=data.get("category") or "",
        kind=data.get("kind") or "",
        include_inactive=bool(data.get("inactive")),
        low_stock=bool(data.get("low")),
        page=page_number,
    )
    # What open purchase orders still bring (one query for the page).
    from parts.purchasing_selectors import parts_on_order_set

    parts_on_order_set(page.parts)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "low_stock": bool(data.get("low")),
        "no_matrix": not selectors.pricing_bands_exist(),
        # The "Default Part # for Labor Parts" setting should name a catalog labor item.
        "labor_number": selectors.labor_part_number_missing(),
        "can_edit": can(request.user, "edit_parts", request),
        "can_price": can(request.user, "edit_pricing_matrix", request),
    }
    if request.htmx:
        return render(request, "parts/partials/part_rows.html", context)
    return render(request, "parts/part_list.html", context)


@require_GET
@security_function("view_parts")
def typeahead(request: HttpRequest) -> JsonResponse:
    """The editor's parts list as the advisor types: the best ten, with on hand and price."""
    results = selectors.part_search(request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "id": part.pk,
                    "number": part.number,
                    "description": part.description,
                    "kind": part.kind,
                    "category": part.category,
                    "brand": part.brand,
                    "bin": part.bin_location,
                    "on_hand": str(part.stock.on_hand.normalize() + 0),
                    "stocked": part.stocked,
                    "price": str(part.price),
                    "price_from": "fixed" if part.fixed_price is not None else "matrix",
                    "cost": str(part.cost),
                    "taxable": part.taxable,
                    "core_charge": str(part.core_charge),
                }
                for part in results
            ]
        }
    )


def _part_or_404(part_id: int) -> Part:
    try:
        return selectors.part_detail(part_id)
    except Part.DoesNotExist:
        raise Http404("No such part.") from None


def _part_page(request: HttpRequest, part: Part, status: int = 200, **forms) -> HttpResponse:
    context = {
        "part": part,
        "vendor_parts": selectors.part_vendors(part),
        "movements": selectors.part_movements(part),
        "can_edit": can(request.user, "edit_parts", request),
        "can_adjust": can(request.user, "adjust_stock", request),
        "can_receive": can(request.user, "receive_parts", request),
        "vendor_form": forms.get("vendor_form") or VendorPartForm(auto_id="vendor_%s"),
        "receive_form": forms.get("receive_form") or StockReceiveForm(auto_id="receive_%s"),
        "adjust_form": forms.get("adjust_form") or StockAdjustForm(auto_id="adjust_%s"),
        "count_form": forms.get("count_form") or StockCountForm(auto_id="count_%s"),
        "is_labor_part": part.number_key == selectors.labor_part_key(),
    }
    return render(request, "parts/part_detail.html", context, status=status)


@require_GET
@security_function("view_parts")
def part_detail(request: HttpRequest, part_id: int) -> HttpResponse:
    return _part_page(request, _part_or_404(part_id))


def _part_initial(part: Part) -> dict:
    return {
        name: getattr(part, name)
        for name in PartForm.base_fields
        if name not in ("fixed_price", "list_price")
    } | {
        "fixed_price": part.fixed_price if part.fixed_price is not None else "",
        "list_price": part.list_price if part.list_price is not None else "",
    }


@security_function("edit_parts")
def part_edit(request: HttpRequest, part_id: int | None = None) -> HttpResponse:
    part = get_object_or_404(Part, pk=part_id) if part_id else None
    if request.method == "POST":
        form = PartForm(request.POST)
        if form.is_valid():
            try:
                if part is None:
                    part = services.part_create(by=request.user, **form.service_fields())
                    messages.success(request, f"{part.number} was added to the catalog.")
                else:
                    part = services.part_update(by=request.user, part=part, **form.service_fields())
                    messages.success(request, f"{part.number} was saved.")
            except ServiceError as error:
                form_error(form, error)
            else:
                return redirect("parts:detail", part.pk)
        status = 400
    else:
        initial = _part_initial(part) if part else {"kind": "part", "taxable": True,
                                                    "stocked": True, "is_active": True}  # fmt: skip
        if part is None and request.GET.get("kind") == "labor":
            # From the parts list's note: the labor item the setting names.
            number = request.GET.get("number", "")[:40]
            initial |= {"kind": "labor", "taxable": False, "stocked": False,
                        "number": number, "description": "Labor"}  # fmt: skip
        form = PartForm(initial=initial)
        status = 200
    return render(
        request,
        "parts/part_form.html",
        {"form": form, "part": part, "categories": selectors.part_categories()},
        status=status,
    )


@require_POST
@security_function("edit_parts")
def part_vendor_set(request: HttpRequest, part_id: int) -> HttpResponse:
    part = _part_or_404(part_id)
    form = VendorPartForm(request.POST, auto_id="vendor_%s")
    if form.is_valid():
        try:
            services.vendor_part_set(by=request.user, part=part, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['vendor']}'s number was saved.")
            return redirect(reverse("parts:detail", args=[part.pk]) + "#vendors")
    return _part_page(request, part, status=400, vendor_form=form)


@require_POST
@security_function("edit_parts")
def part_vendor_remove(request: HttpRequest, part_id: int, vendor_part_id: int) -> HttpResponse:
    row = get_object_or_404(VendorPart, pk=vendor_part_id, part_id=part_id)
    services.vendor_part_remove(by=request.user, vendor_part=row)
    messages.success(request, f"{row.vendor}'s number {row.vendor_number} was removed.")
    return redirect(reverse("parts:detail", args=[part_id]) + "#vendors")


STOCK_ACTIONS = {
    # action: (security function, form, service, form's name on the page)
    "receive": ("receive_parts", StockReceiveForm, "receive_form"),
    "adjust": ("adjust_stock", StockAdjustForm, "adjust_form"),
    "count": ("receive_parts", StockCountForm, "count_form"),
}


@require_POST
@security_function("view_parts")
def part_stock(request: HttpRequest, part_id: int, action: str) -> HttpResponse:
    """Receive, adjust or count one part; each has its own security function."""
    if action not in STOCK_ACTIONS:
        raise Http404("No such stock action.")
    code, form_class, name = STOCK_ACTIONS[action]
    check(request, code)
    part = _part_or_404(part_id)
    form = form_class(request.POST, auto_id=f"{action}_%s")
    if form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            if action == "receive":
                services.stock_receive(by=request.user, part=part, **fields)
            elif action == "adjust":
                services.stock_adjust(by=request.user, part=part, **fields)
            else:
                services.stock_count(by=request.user, part=part, **fields)
        except ServiceError as error:
            form_error(form, error)
        else:
            part = selectors.part_detail(part.pk)
            messages.success(
                request, f"{part.number}: on hand is now {part.stock.on_hand.normalize():f}."
            )
            return redirect(reverse("parts:detail", args=[part.pk]) + "#stock")
    return _part_page(request, part, status=400, **{name: form})


@security_function("edit_pricing_matrix")
def pricing_matrix(request: HttpRequest) -> HttpResponse:
    """The matrix as rows; the whole matrix is saved at once or not at all."""
    if request.method == "POST":
        formset = PricingBandFormSet(request.POST)
        error = None
        if formset.is_valid():
            try:
                services.pricing_matrix_set(
                    by=request.user, bands=[f.cleaned_data for f in formset.forms]
                )
            except ServiceError as service_error:
                error = service_error
            else:
                messages.success(request, "The pricing matrix was saved.")
                return redirect("parts:pricing")
        else:
            error = ServiceError("Check the bands: each amount must be a number.")
        return render(
            request,
            "parts/pricing.html",
            {"formset": formset, "error": error, "examples": []},
            status=400,
        )
    bands = selectors.pricing_bands()
    formset = PricingBandFormSet(
        initial=[
            {
                "cost_from": band.cost_from,
                "cost_to": band.cost_to if band.cost_to is not None else "",
                "method": band.method,
                "percent": band.percent,
            }
            for band in bands
        ]
    )
    return render(
        request,
        "parts/pricing.html",
        {"formset": formset, "error": None, "examples": selectors.pricing_examples()},
    )


@require_GET
@security_function("view_parts")
def vendor_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parts/vendor_list.html",
        {"vendors": selectors.vendor_list(), "can_edit": can(request.user, "edit_parts", request)},
    )


@security_function("edit_parts")
def vendor_edit(request: HttpRequest, vendor_id: int | None = None) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=vendor_id) if vendor_id else None
    form = VendorForm(request.POST or None, instance=vendor)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in VendorForm.Meta.fields}
            try:
                if vendor is None:
                    vendor = services.vendor_create(by=request.user, **fields)
                else:
                    vendor = services.vendor_update(by=request.user, vendor=vendor, **fields)
            except ServiceError as error:
                form_error(form, error)
            else:
                messages.success(request, f"{vendor} was saved.")
                return redirect("parts:vendors")
        status = 400
    context = {"form": form, "vendor": vendor}
    return render(request, "parts/vendor_form.html", context, status=status)


# --- The editor: a catalog part added to a job (the form is workorders'; see contributions). ---


@require_POST
@security_function("edit_work_orders")
def line_add(request: HttpRequest, work_order_id: int, job_id: int) -> HttpResponse:
    """Add the part picked in the typeahead to the job. The answer is the one workorders'
    own add-line gives (workorders/partials/line_added.html): a fresh form, the new rows
    (the part, its core charge, any labor line the rule added) out of band, the totals
    and the new version."""
    job = get_object_or_404(Job, pk=job_id, work_order_id=work_order_id)
    form = PartLineForm(request.POST, auto_id=f"job{job.pk}_%s")
    error = None
    line = None
    if form.is_valid():
        part = Part.objects.filter(pk=form.cleaned_data["catalog_part"]).first()
        try:
            if part is None:
                raise ServiceError(
                    "That part is no longer in the catalog. Search again.", field="part_number"
                )
            fields = form.service_fields()
            line = services.part_line_add(
                by=request.user,
                job=job,
                version=form.cleaned_data["version"],
                part=part,
                quantity=fields["quantity"],
                unit_price=form.cleaned_data["unit_price"] or None,
                unit_cost=form.cleaned_data["unit_cost"] or None,
                description=fields["description"],
                discount=fields["discount"],
                taxable=fields["taxable"],
            )
        except ServiceError as service_error:
            if service_error.code == "hidden":
                raise PermissionDenied(service_error.message) from None
            form_error(form, service_error)
            error = None if service_error.field in form.fields else service_error
    editor_url = reverse("workorders:editor", args=[work_order_id]) + f"#job-{job.pk}"
    if not request.htmx:
        if line is None:
            field_errors = " ".join(e for errors in form.errors.values() for e in errors)
            messages.error(request, error.message if error else field_errors)
        return redirect(editor_url)
    work_order = WorkOrder.objects.get(pk=work_order_id)
    if not may_see(request.user, work_order, request):
        raise Http404("No such work order.")
    new_lines: list[Line] = []
    was_empty = False
    if line is not None:
        job.line_form = LineForm(auto_id=f"job{job.pk}_%s", initial={"version": work_order.version})
        new_lines = list(Line.objects.filter(job=job, pk__gte=line.pk).select_related("technician"))
        was_empty = not Line.objects.filter(job=job, pk__lt=line.pk).exists()
    else:
        # Drawn again as workorders' form (the picked part is kept by the typeahead's
        # own hidden field, see contributions), with the errors beside the fields.
        shown = LineForm(request.POST, auto_id=f"job{job.pk}_%s")
        shown.is_valid()
        shown._errors = {k: v for k, v in form.errors.items() if k != "catalog_part"}
        job.line_form = shown
    context = {
        "wo": work_order,
        "job": job,
        "new_lines": new_lines,
        "was_empty": was_empty,
        "line_error": error.message if error else "",
        "can_edit": True,
        "oob": True,
        "send_version": not (error and error.code == "conflict"),
        "parts_picked": request.POST.get("catalog_part", "") if line is None else "",
    }
    return render(request, "workorders/partials/line_added.html", context)

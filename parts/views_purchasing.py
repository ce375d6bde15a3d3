"""Purchase orders (list, new from the reorder suggestions or a repair order's special
orders, detail and edit, send, receive, return, PDF) and the physical count (count
sheets: make, print, type the counts, post). Each view checks its security function and
calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parts import documents
from parts import purchasing_selectors as selectors
from parts.models import (
    CountSheet,
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    Vendor,
    VendorCredit,
    number_key,
)
from parts.services import counting, purchasing
from shop.errors import ServiceError
from shop.security import can, check, security_function
from workorders.models import WorkOrder
from workorders.selectors import may_see

STATUS_FILTERS = [("open", "Open"), ("", "All"), *PurchaseOrder.Status.choices]


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


@require_GET
@security_function("order_parts")
def purchase_orders(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in dict(STATUS_FILTERS):
        status = "open"
    page = _page_number(request)
    rows, has_next = selectors.purchase_orders_page(status=status, page=page)
    return render(
        request,
        "parts/purchasing/order_list.html",
        {
            "orders": rows,
            "has_next": has_next,
            "page": page,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "vendors": Vendor.objects.filter(is_active=True).order_by("name"),
        },
    )


@security_function("order_parts")
def suggestions(request: HttpRequest) -> HttpResponse:
    """The reorder suggestions, by vendor: tick the parts (quantities editable) and make one
    draft per vendor."""
    error = None
    if request.method == "POST":
        quantities = {
            key.removeprefix("qty_"): value
            for key, value in request.POST.items()
            if key.startswith("qty_") and f"part_{key.removeprefix('qty_')}" in request.POST
        }
        try:
            if not all(key.isdigit() for key in quantities):
                raise ServiceError("That part is not in the catalog.")
            orders = purchasing.purchase_orders_from_suggestions(
                by=request.user, quantities={int(k): v for k, v in quantities.items()}
            )
        except ServiceError as service_error:
            error = service_error.message
        else:
            names = ", ".join(f"#{o.pk} to {o.vendor}" for o in orders)
            messages.success(request, f"Draft purchase order{'s' if len(orders) > 1 else ''} "
                             f"{names}: check them, then send.")  # fmt: skip
            if len(orders) == 1:
                return redirect("parts:purchase_order", orders[0].pk)
            return redirect(reverse("parts:purchase_orders") + "?status=draft")
    return render(
        request,
        "parts/purchasing/suggestions.html",
        {"groups": selectors.reorder_suggestions(), "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@security_function("order_parts")
def purchase_order_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return purchase_orders(request)  # the list, where the vendor is chosen
    vendor = Vendor.objects.filter(pk=request.POST.get("vendor") or 0).first()
    if vendor is None:
        messages.error(request, "Choose the vendor to order from.")
        return redirect("parts:purchase_orders")
    try:
        order = purchasing.purchase_order_create(by=request.user, vendor=vendor)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("parts:purchase_orders")
    return redirect("parts:purchase_order", order.pk)


def _order_or_404(order_id: int) -> PurchaseOrder:
    try:
        return selectors.purchase_order_detail(order_id)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None


def _order_page(request: HttpRequest, order: PurchaseOrder, *, error: str = "",
                error_form: str = "", status: int = 200) -> HttpResponse:  # fmt: skip
    lines = list(order.lines.all())
    for line in lines:
        # What was typed, shown again beside a refusal.
        line.posted_receive = request.POST.get(f"receive_{line.pk}", "")
    return render(
        request,
        "parts/purchasing/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "credits": list(order.credits.all()),
            "can_order": can(request.user, "order_parts", request),
            "can_receive": can(request.user, "receive_parts", request),
            "error": error,
            "error_form": error_form,
            "posted": request.POST if request.method == "POST" else {},
            "credit_kinds": VendorCredit.Kind.choices,
        },
        status=status,
    )


@require_GET
@security_function("view_parts")
def purchase_order(request: HttpRequest, order_id: int) -> HttpResponse:
    if not (
        can(request.user, "order_parts", request) or can(request.user, "receive_parts", request)
    ):
        check(request, "order_parts")
    return _order_page(request, _order_or_404(order_id))


@require_GET
@security_function("view_parts")
def purchase_order_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    if not (
        can(request.user, "order_parts", request) or can(request.user, "receive_parts", request)
    ):
        check(request, "order_parts")
    order = _order_or_404(order_id)
    pdf = documents.purchase_order_pdf(order, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{documents.purchase_order_file_name(order)}"'
    )
    return response


ORDER_ACTIONS = ("line_add", "line_update", "line_remove", "send", "mark_ordered", "cancel",
                 "receive", "return")  # fmt: skip


@require_POST
@security_function("view_parts")
def purchase_order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    """Every change of a purchase order: receiving needs Receive and count parts, the rest
    Purchase orders."""
    if action not in ORDER_ACTIONS:
        raise Http404("No such action.")
    check(request, "receive_parts" if action == "receive" else "order_parts")
    order = get_object_or_404(PurchaseOrder, pk=order_id)
    post = request.POST
    anchor = ""
    try:
        if action == "line_add":
            anchor = "#lines"
            key = number_key(post.get("part_number", ""))
            part = Part.objects.filter(number_key=key).first() if key else None
            if part is None:
                raise ServiceError(
                    f"No part # “{post.get('part_number', '').strip()}” in the catalog.",
                    field="part_number",
                )
            purchasing.purchase_order_line_add(
                by=request.user, purchase_order=order, part=part,
                quantity=post.get("quantity"), unit_cost=post.get("unit_cost") or None,
            )  # fmt: skip
            message = f"{part.number} was added."
        elif action in ("line_update", "line_remove"):
            anchor = "#lines"
            line = get_object_or_404(PurchaseOrderLine, pk=post.get("line") or 0,
                                     purchase_order=order)  # fmt: skip
            if action == "line_update":
                purchasing.purchase_order_line_update(
                    by=request.user, line=line, quantity=post.get("quantity"),
                    unit_cost=post.get("unit_cost"),
                )  # fmt: skip
                message = f"{line.part.number} was changed."
            else:
                purchasing.purchase_order_line_remove(by=request.user, line=line)
                message = f"{line.part.number} was removed."
        elif action in ("send", "mark_ordered"):
            order = purchasing.purchase_order_send(
                by=request.user, purchase_order=order, email=action == "send"
            )
            message = (
                f"PO #{order.pk} was e-mailed to {order.emailed_to} with its PDF."
                if action == "send"
                else f"PO #{order.pk} was marked ordered."
            )
        elif action == "cancel":
            purchasing.purchase_order_cancel(by=request.user, purchase_order=order)
            message = f"PO #{order.pk} was cancelled."
        elif action == "receive":
            anchor = "#receive"
            prefix = "receive_"
            quantities = {
                int(k.removeprefix(prefix)): v
                for k, v in post.items()
                if k.startswith(prefix) and k.removeprefix(prefix).isdigit()
            }
            costs = {
                int(k.removeprefix("cost_")): v
                for k, v in post.items()
                if k.startswith("cost_") and k.removeprefix("cost_").isdigit() and v.strip()
            }
            receipts = purchasing.purchase_order_receive(
                by=request.user, purchase_order=order, quantities=quantities, costs=costs,
                confirm_over=post.get("confirm_over") == "on",
            )  # fmt: skip
            order.refresh_from_db()
            count = sum(r.quantity for r in receipts)
            message = (
                f"Received {count.normalize():f} on PO #{order.pk}: it is "
                f"{order.get_status_display().lower()}."
            )
        else:
            anchor = "#returns"
            line = get_object_or_404(PurchaseOrderLine, pk=post.get("line") or 0,
                                     purchase_order=order)  # fmt: skip
            credit = purchasing.purchase_order_return(
                by=request.user, line=line, kind=post.get("kind", ""),
                quantity=post.get("quantity"), unit_credit=post.get("unit_credit") or None,
                reason=post.get("reason", ""),
            )  # fmt: skip
            message = (
                f"{credit.get_kind_display()}: {credit.quantity.normalize():f} × "
                f"{line.part.number}, credit ${credit.amount} noted."
            )
    except ServiceError as error:
        return _order_page(
            request, _order_or_404(order.pk), error=error.message, error_form=action, status=400
        )
    messages.success(request, message)
    return redirect(reverse("parts:purchase_order", args=[order.pk]) + anchor)


@security_function("order_parts")
def work_order_orders(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """A repair order's special-order parts and the purchase orders for them; POST orders
    those not ordered yet (one draft per vendor)."""
    work_order = get_object_or_404(WorkOrder.objects.select_related("customer", "vehicle"),
                                   pk=work_order_id)  # fmt: skip
    if not may_see(request.user, work_order, request):
        raise Http404("No such work order.")
    error = ""
    if request.method == "POST":
        try:
            orders = purchasing.purchase_orders_from_work_order(
                by=request.user, work_order=work_order
            )
        except ServiceError as service_error:
            error = service_error.message
        else:
            messages.success(
                request,
                "Draft " + ", ".join(f"PO #{o.pk} to {o.vendor}" for o in orders)
                + ": check, then send.",
            )  # fmt: skip
            return redirect("parts:work_order_orders", work_order.pk)
    orders, _ = selectors.purchase_orders_page(status="", work_order_id=work_order.pk)
    return render(
        request,
        "parts/purchasing/work_order_orders.html",
        {
            "wo": work_order,
            "special": selectors.special_order_parts(work_order),
            "orders": orders,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- The physical count --------------------------------------------------------------


@security_function("receive_parts")
def count_sheets(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            sheet = counting.count_sheet_create(
                by=request.user,
                by_what=request.POST.get("by_what", ""),
                value=request.POST.get("value", ""),
            )
        except ServiceError as service_error:
            error = service_error.message
        else:
            messages.success(request, f"Count sheet #{sheet.pk}: print it, count, type the counts.")
            return redirect("parts:count_sheet", sheet.pk)
    from parts.selectors import part_categories

    return render(
        request,
        "parts/purchasing/count_sheets.html",
        {
            "sheets": selectors.count_sheets(),
            "bins": selectors.part_bins(),
            "categories": part_categories(),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _sheet_or_404(sheet_id: int) -> CountSheet:
    try:
        return selectors.count_sheet_detail(sheet_id)
    except CountSheet.DoesNotExist:
        raise Http404("No such count sheet.") from None


@security_function("receive_parts")
def count_sheet(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = _sheet_or_404(sheet_id)
    error = ""
    if request.method == "POST":
        counts = {
            k.removeprefix("count_"): v for k, v in request.POST.items() if k.startswith("count_")
        }
        extra_number = request.POST.get("extra_number", "").strip()
        extra = {extra_number: request.POST.get("extra_count", "")} if extra_number else {}
        try:
            movements = counting.count_sheet_post(
                by=request.user, sheet=sheet, counts=counts, extra=extra
            )
        except ServiceError as service_error:
            error = service_error.message
        else:
            changed = sum(1 for m in movements if m.quantity)
            messages.success(
                request,
                f"Count sheet #{sheet.pk} posted: {len(movements)} counted, {changed} "
                f"difference{'s' if changed != 1 else ''} recorded.",
            )
            return redirect("parts:count_sheet", sheet.pk)
    for line in sheet.rows:
        line.posted_count = request.POST.get(f"count_{line.part_id}", "")
    return render(
        request,
        "parts/purchasing/count_sheet.html",
        {"sheet": sheet, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


@require_GET
@security_function("receive_parts")
def count_sheet_pdf(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = _sheet_or_404(sheet_id)
    pdf = documents.count_sheet_pdf(sheet, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="count-sheet-{sheet.pk}.pdf"'
    return response

"""Printed estimates, repair orders and invoices (WeasyPrint)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from shop.security import security_function
from workorders import documents, selectors
from workorders.models import WorkOrder


@security_function("view_work_orders")
def work_order_pdf(request: HttpRequest, work_order_id: int) -> HttpResponse:
    try:
        work_order = selectors.work_order_for_editor(work_order_id)
    except WorkOrder.DoesNotExist:
        raise Http404("No such work order.") from None
    if not selectors.may_see(request.user, work_order, request):
        raise Http404("No such work order.")
    pdf = documents.work_order_pdf(work_order, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{documents.file_name(work_order)}"'
    return response

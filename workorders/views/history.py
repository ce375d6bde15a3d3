"""A customer's and a vehicle's work-order history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from customers.models import Customer, Vehicle
from shop.security import security_function
from workorders import selectors


@security_function("view_work_orders")
def customer_history(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_id)
    page = Paginator(
        selectors.visible_work_orders(request.user, selectors.customer_history(customer), request),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "workorders/history.html",
        {"customer": customer, "vehicle": None, "page": page, "show_vehicle": True},
    )


@security_function("view_work_orders")
def vehicle_history(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = get_object_or_404(Vehicle.objects.select_related("customer"), pk=vehicle_id)
    page = Paginator(
        selectors.visible_work_orders(request.user, selectors.vehicle_history(vehicle), request),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "workorders/history.html",
        {"customer": vehicle.customer, "vehicle": vehicle, "page": page, "show_vehicle": False},
    )

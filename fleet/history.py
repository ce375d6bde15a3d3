"""What fleet approval contributes to a customer's and a vehicle's history
(customers.history): the repair orders sent to the fleet and what it decided."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer, Vehicle
from fleet.models import FleetRequest


def _rows(queryset: QuerySet[FleetRequest], limit: int) -> HistoryRows:
    requests, more = split_more(
        list(
            queryset.select_related("company", "work_order").order_by("-created_at", "-id")[
                : limit + 1
            ]
        ),
        limit,
    )
    rows = [
        HistoryRow(
            f"{request.work_order} to {request.company}",
            details=(
                date_format(timezone.localtime(request.created_at), "M j, Y"),
                request.get_state_display(),
            ),
        )
        for request in requests
    ]
    return HistoryRows(rows, more=more)


def customer_fleet_requests(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    return _rows(FleetRequest.objects.filter(work_order__customer=customer), limit)


def vehicle_fleet_requests(request: HttpRequest, vehicle: Vehicle, limit: int) -> HistoryRows:
    return _rows(FleetRequest.objects.filter(work_order__vehicle=vehicle), limit)


def register() -> None:
    history_source_register(
        key="fleet_requests",
        title="Fleet requests",
        security_function="send_to_fleet",
        order=60,
        customer_rows=customer_fleet_requests,
        vehicle_rows=vehicle_fleet_requests,
    )

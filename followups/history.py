"""What follow-ups contribute to a customer's and a vehicle's history (customers.history):
the reminders and thank-yous due or sent, under "Follow Ups"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer, Vehicle
from followups.models import FollowUp


def _rows(queryset: QuerySet[FollowUp], limit: int, *, show_vehicle: bool) -> HistoryRows:
    follow_ups, more = split_more(
        list(
            queryset.select_related("follow_up_list", "vehicle").order_by("-due_on", "-id")[
                : limit + 1
            ]
        ),
        limit,
    )
    rows = []
    for follow_up in follow_ups:
        due = date_format(follow_up.due_on, "M j, Y")
        sent = (
            f"Sent {date_format(follow_up.date_sent, 'M j, Y')}"
            if follow_up.date_sent
            else "Not sent"
        )
        vehicle = [str(follow_up.vehicle)] if show_vehicle and follow_up.vehicle else []
        rows.append(
            HistoryRow(
                str(follow_up.follow_up_list),
                label=f"{follow_up.follow_up_list}, due {due}",
                details=(f"Due {due}", *vehicle, sent),
            )
        )
    return HistoryRows(rows, more=more)


def customer_follow_ups(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    return _rows(FollowUp.objects.filter(customer=customer), limit, show_vehicle=True)


def vehicle_follow_ups(request: HttpRequest, vehicle: Vehicle, limit: int) -> HistoryRows:
    return _rows(FollowUp.objects.filter(vehicle=vehicle), limit, show_vehicle=False)


def register() -> None:
    history_source_register(
        key="follow_ups",
        title="Follow-ups",
        security_function="follow_ups",
        order=50,
        customer_rows=customer_follow_ups,
        vehicle_rows=vehicle_follow_ups,
    )

"""The bench shop's day at the counter: at least 60 active work orders and 20 appointments
today, for Today's Vehicles Page's benchmark. Skips what is already there."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from customers.models import Vehicle
from shop.dates import day_bounds
from shop.models import User
from workorders import services
from workorders.board import active_work_orders, todays_appointments
from workorders.models import Status

BOARD_WORK_ORDERS = 60
BOARD_APPOINTMENTS = 20
# Statuses that send the customer nothing, so seeding texts nobody.
QUIET_REPAIR_ORDER_STATUSES = [7, 9, 10, 11, 12, 13, 14, 15]


@transaction.atomic
def board_day_ensure(stdout, *, rng: random.Random) -> None:
    now = timezone.now()
    advisor = User.objects.filter(username="advisor").first()
    technicians = list(User.objects.filter(role=User.Role.TECHNICIAN, is_active=True)[:6])
    statuses = list(Status.objects.filter(number__in=QUIET_REPAIR_ORDER_STATUSES))
    vehicle_ids = list(
        Vehicle.objects.filter(is_active=True).order_by("-id").values_list("id", flat=True)[:2000]
    )
    if advisor is None or not statuses or not vehicle_ids:
        return
    missing = BOARD_WORK_ORDERS - active_work_orders(now).count()
    for index in range(max(0, missing)):
        vehicle = Vehicle.objects.get(pk=rng.choice(vehicle_ids))
        work_order = services.workorder_create(
            by=advisor,
            vehicle=vehicle,
            default_technician=rng.choice(technicians) if technicians else None,
            concern="Check and advise",
        )
        if index % 4:  # three in four are repair orders in the bays; the rest estimates
            services.workorder_status_set(
                by=advisor, work_order=work_order, version=None, status=rng.choice(statuses)
            )
    start, _ = day_bounds(timezone.localdate(now))
    missing_appointments = BOARD_APPOINTMENTS - todays_appointments(now).count()
    for index in range(max(0, missing_appointments)):
        services.appointment_create(
            by=advisor,
            vehicle=Vehicle.objects.get(pk=rng.choice(vehicle_ids)),
            starts_at=start + timedelta(hours=7, minutes=30 * index),
            concern="Scheduled maintenance",
        )
    if missing > 0 or missing_appointments > 0:
        stdout.write(
            f"  workorders: today's board: {max(0, missing)} work orders, "
            f"{max(0, missing_appointments)} appointments added"
        )

"""The demo shop's lively day at the counter, and a few years of history."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from customers.models import Customer, Vehicle
from shop.models import User
from workorders import selectors, services
from workorders.models import (
    Appointment,
    ApprovalMethod,
    Job,
    JobApproval,
    Package,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
)
from workorders.seeding.catalog import packages_ensure, statuses_ensure
from workorders.seeding.inspections import inspection_sheets_ensure
from workorders.services import approval_row_write, first_status_get, totals_refresh

DEMO_PAST_DUE_DAYS = 75  # a company's invoice this old: past due in the aging reports


def _demo_vehicles() -> list[Vehicle]:
    vehicles = list(
        Vehicle.objects.filter(is_active=True).select_related("customer").order_by("id")[:40]
    )
    if vehicles:
        return vehicles
    # The customers app made none (it normally does, before this runs): a few of our own.
    for first, last, year, make, model, plate in [
        ("Maria", "Gonzalez", 2017, "Honda", "Accord", "MRG417"),
        ("James", "Whitfield", 2014, "Ford", "F-150", "JW4410"),
        ("Grace", "Liu", 2023, "Honda", "Civic", "GL23"),
    ]:
        customer, _ = Customer.objects.get_or_create(
            first_name=first, last_name=last, defaults={"city": "Springfield", "state": "IL"}
        )
        Vehicle.objects.get_or_create(
            customer=customer, plate=plate, defaults={"year": year, "make": make, "model": model}
        )
    return list(Vehicle.objects.filter(is_active=True).select_related("customer").order_by("id"))


def _authorize(work_order: WorkOrder, by: User | None, at: datetime) -> None:
    """The demo's repair orders were estimates the customer authorized at the counter:
    each pending job gets that approval in its trail, as a real shop's would."""
    for job in Job.objects.filter(work_order=work_order, approval=Job.Approval.PENDING):
        approval_row_write(
            work_order=work_order,
            job=job,
            decision=JobApproval.Decision.APPROVED,
            method=ApprovalMethod.ESTIMATE,
            approved_by_name=work_order.customer.display_name,
            recorded_by=by,
            at=at,
        )


def _close_quietly(work_order: WorkOrder, status: Status, by: User | None, at: datetime) -> None:
    """Bill a seeded work order out as the services would, without publishing events."""
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    totals_refresh(work_order)
    previous = work_order.status
    StatusChange.objects.create(
        work_order=work_order,
        from_status=previous,
        to_status=status,
        changed_by=by,
        changed_at=at,
        seconds_in_previous=max(0, int((at - work_order.status_entered_at).total_seconds())),
    )
    _authorize(work_order, by, at)
    work_order.status = status
    work_order.stage = Stage.INVOICE
    work_order.status_entered_at = at
    work_order.closed_at = at
    work_order.closed_by = by
    work_order.odometer_out = work_order.odometer_in
    work_order.version += 1
    work_order.save()


def _demo_work_order(
    *,
    vehicle: Vehicle,
    status: Status,
    stage: str,
    advisor: User,
    tech: User | None,
    packages: list[Package],
    created_at: datetime,
    concern: str,
    billed: Status | None = None,
    odometer: int | None = None,
) -> WorkOrder:
    start = stage if stage != Stage.INVOICE else Stage.REPAIR_ORDER
    work_order = services.workorder_create(
        by=advisor,
        vehicle=vehicle,
        status=status if billed is None else first_status_get(start),
        concern=concern,
        odometer_in=odometer if odometer is not None else vehicle.odometer,
        default_technician=tech,
        promised_at=created_at + timedelta(hours=6) if stage == Stage.REPAIR_ORDER else None,
    )
    for package in packages:
        services.job_add_package(by=advisor, work_order=work_order, version=None, package=package)
    WorkOrder.objects.filter(pk=work_order.pk).update(
        created_at=created_at, status_entered_at=created_at + timedelta(minutes=20)
    )
    StatusChange.objects.filter(work_order=work_order).update(changed_at=created_at)
    if stage in (Stage.REPAIR_ORDER, Stage.INVOICE):
        _authorize(WorkOrder.objects.get(pk=work_order.pk), advisor, created_at)
    if billed is not None:
        _close_quietly(work_order, billed, advisor, created_at + timedelta(hours=5))
    return work_order


@transaction.atomic
def seed_demo(stdout) -> dict:
    statuses = statuses_ensure()
    selectors.workorder_settings_get()
    packages = list(packages_ensure().values())
    inspection_sheets_ensure()
    if WorkOrder.objects.exists():
        return {}
    vehicles = _demo_vehicles()
    advisor = (
        User.objects.filter(username="advisor").first() or User.objects.exclude(role="").first()
    )
    tech = User.objects.filter(role=User.Role.TECHNICIAN).first()
    rng = random.Random(2026)
    now = timezone.localtime()
    opening = now.replace(hour=7, minute=30, second=0, microsecond=0)
    by_name = {p.name: p for p in packages}
    concerns = [
        "Oil change due, light on the dash",
        "Grinding noise when braking",
        "Check engine light came on yesterday",
        "Car won't start on cold mornings",
        "Temperature gauge running high",
        "Vibration at highway speed",
    ]
    day_plan = [
        # status number, packages, minutes after opening
        (1, ["Check engine light diagnosis"], 15),
        (2, ["Front brakes", "Rear brakes"], 30),
        (2, ["Coolant flush"], 50),
        (3, ["Battery replacement"], 70),
        (6, ["Oil change, synthetic", "Tire rotation and balance"], 20),
        (7, ["Front brakes"], 5),
        (7, ["Oil change, synthetic"], 40),
        (8, ["Rear brakes"], 60),
        (9, ["Check engine light diagnosis"], 25),
        (11, ["Tire rotation and balance"], 35),
        (16, ["Oil change, synthetic"], 0),
        (17, ["Battery replacement"], 10),
        (17, ["Oil change, synthetic"], 45),
    ]
    made = 0
    for index, (number, names, minutes) in enumerate(day_plan):
        vehicle = vehicles[index % len(vehicles)]
        stage = services.stage_for_number(number)
        _demo_work_order(
            vehicle=vehicle,
            status=statuses[number],
            stage=stage,
            advisor=advisor,
            tech=tech,
            packages=[by_name[n] for n in names],
            created_at=opening + timedelta(minutes=minutes),
            concern=concerns[index % len(concerns)],
            billed=statuses[17] if stage == Stage.INVOICE else None,
        )
        made += 1
    # History: a few past visits per vehicle, so history pages have something to show.
    for vehicle in vehicles:
        for years_ago in range(1, rng.randint(2, 4)):
            _demo_work_order(
                vehicle=vehicle,
                status=statuses[7],
                stage=Stage.INVOICE,
                advisor=advisor,
                tech=tech,
                packages=rng.sample(packages, rng.randint(1, 2)),
                created_at=now - timedelta(days=365 * years_ago + rng.randint(0, 120)),
                concern="",
                billed=statuses[17],
                odometer=max(
                    1000, (vehicle.odometer or 60000) - years_ago * vehicle.annual_mileage
                ),
            )
            made += 1
    # A company's repair billed 75 days ago: the visit an aging report shows as past due
    # (payments' demo charges it to the company's account and leaves it open).
    fleet_vehicle = next(
        (v for v in vehicles if v.customer.kind == Customer.Kind.COMPANY), vehicles[-1]
    )
    _demo_work_order(
        vehicle=fleet_vehicle,
        status=statuses[7],
        stage=Stage.INVOICE,
        advisor=advisor,
        tech=tech,
        packages=[by_name["Front brakes"]] if "Front brakes" in by_name else packages[:1],
        created_at=now - timedelta(days=DEMO_PAST_DUE_DAYS, hours=5),
        concern="Brakes pulsing on the highway",
        billed=statuses[17],
    )
    made += 1
    # Today's and tomorrow's appointments, one already turned into a work order.
    for index, (hour, minute, concern) in enumerate(
        [
            (8, 0, "Oil change and tire rotation"),
            (9, 30, "Brakes squeal when stopping"),
            (11, 0, "Check engine light"),
            (13, 30, "Battery keeps dying"),
            (15, 0, "State inspection"),
        ]
    ):
        vehicle = vehicles[-(index + 1) % len(vehicles)]
        for days in (0, 1):
            starts = now.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(
                days=days
            )
            appointment = services.appointment_create(
                by=advisor, vehicle=vehicle, starts_at=starts, concern=concern
            )
            if days == 0 and index == 0:
                services.appointment_convert(by=advisor, appointment=appointment)
    stdout.write(f"  workorders: {made} work orders, {Appointment.objects.count()} appointments")
    return {}

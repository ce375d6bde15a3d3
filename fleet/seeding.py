"""The fleet app's part of the demo shop: a fleet company, its account and vehicles, a
fleet user's login, two work orders sent to it (one waiting, one with a denial), and one
it approved that is billed out, so Fleet Activity has a visit on first look."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from customers.models import Customer, Vehicle
from fleet import services
from fleet.models import FleetAccount, FleetCompany, FleetRequest, FleetUser
from shop.models import User
from shop.seeding import DEMO_PASSWORD
from workorders import services as workorder_services
from workorders.models import Status, WorkOrder

DEMO_FLEET_LOGIN = "fleet"
DEMO_VEHICLES = [
    (2022, "Toyota", "Camry", "4T1G11AK5NU612345", "RR-4411", 31200),
    (2021, "Ford", "Escape", "1FMCU9G67MUA23456", "RR-4412", 44800),
    (2020, "Chevrolet", "Malibu", "1G1ZD5ST4LF034567", "RR-4413", 52300),
]


def _work_order(vehicle: Vehicle, advisor: User, lines: list[tuple[str, str, str]]) -> WorkOrder:
    work_order = workorder_services.workorder_create(
        by=advisor, vehicle=vehicle, odometer_in=vehicle.odometer, concern="Fleet maintenance"
    )
    job = workorder_services.job_add(
        by=advisor, work_order=work_order, version=work_order.version, title="Fleet service"
    )
    for kind, description, price in lines:
        work_order.refresh_from_db()
        workorder_services.line_add(
            by=advisor,
            job=job,
            version=work_order.version,
            kind=kind,
            description=description,
            quantity="1",
            unit_price=price,
        )
    work_order.refresh_from_db()
    return work_order


@transaction.atomic
def seed_demo(stdout) -> dict:
    company, _ = FleetCompany.objects.get_or_create(
        fleet_company_id="RR-10042",
        defaults={"name": "Rapid Rentals", "auto_approve_limit": Decimal("75.00")},
    )
    customer, _ = Customer.objects.get_or_create(
        kind=Customer.Kind.COMPANY, company_name="Rapid Rentals", defaults={"city": "Springfield"}
    )
    FleetAccount.objects.get_or_create(customer=customer, defaults={"company": company})
    login, created = User.objects.get_or_create(
        username=DEMO_FLEET_LOGIN,
        defaults={"first_name": "Fran", "last_name": "Fleetdesk", "role": ""},
    )
    if created:
        login.set_password(DEMO_PASSWORD)
        login.save(update_fields=["password"])
    FleetUser.objects.get_or_create(user=login, defaults={"company": company})
    vehicles = [
        Vehicle.objects.get_or_create(
            vin=vin,
            defaults={
                "customer": customer,
                "year": year,
                "make": make,
                "model": model,
                "plate": plate,
                "odometer": odometer,
            },
        )[0]
        for year, make, model, vin, plate, odometer in DEMO_VEHICLES
    ]
    advisor = User.objects.filter(username="advisor").first()
    if advisor is not None and not FleetRequest.objects.filter(company=company).exists():
        waiting = _work_order(
            vehicles[0],
            advisor,
            [("labor", "Synthetic oil change", "69.00"), ("labor", "Front brake pads", "189.00")],
        )
        services.fleet_request_submit(
            by=advisor, work_order=waiting, note="Brake pads at 3 mm, oil change due."
        )
        denied = _work_order(
            vehicles[1],
            advisor,
            [("labor", "Tire rotation", "39.00"), ("labor", "Cabin air filter", "59.00")],
        )
        request = services.fleet_request_submit(by=advisor, work_order=denied)
        rotation, cabin = list(denied.lines.order_by("id").values_list("id", flat=True))
        services.fleet_request_decide(
            request=request,
            version=request.current_version,
            decisions=[
                {"line": rotation, "decision": "approved"},
                {"line": cabin, "decision": "denied", "reason": "Replaced at 40,000 miles."},
            ],
            by_name=str(login),
        )
    if (
        advisor is not None
        and not FleetRequest.objects.filter(
            company=company, invoice_approved_at__isnull=False
        ).exists()
    ):
        _billed_invoice(vehicles[2], advisor, by_name=str(login))
    stdout.write(
        f"  fleet: {company.name} ({company.fleet_company_id}); fleet portal login "
        f"“{DEMO_FLEET_LOGIN}” (password {DEMO_PASSWORD}) at /fleet/portal/"
    )
    return {}


def _billed_invoice(vehicle: Vehicle, advisor: User, *, by_name: str) -> WorkOrder:
    """Sent to the fleet, approved in full, repaired and billed out through the services:
    the billing-out events write the invoice's figures that Fleet Activity reads."""
    work_order = _work_order(
        vehicle,
        advisor,
        [("labor", "Synthetic oil change", "69.00"), ("labor", "Wiper blades", "34.00")],
    )
    request = services.fleet_request_submit(by=advisor, work_order=work_order)
    services.fleet_request_decide(
        request=request,
        version=request.current_version,
        decisions=[
            {"line": line, "decision": "approved"}
            for line in work_order.lines.order_by("id").values_list("id", flat=True)
        ],
        by_name=by_name,
    )
    statuses = {status.number: status for status in Status.objects.filter(number__in=[7, 17])}
    for number in (7, 17):  # into the bay, then billed out
        work_order.refresh_from_db()
        workorder_services.workorder_status_set(
            by=advisor, work_order=work_order, version=work_order.version, status=statuses[number]
        )
    work_order.refresh_from_db()
    return work_order


BENCH_REQUESTS = 300


def seed_bench(stdout, *, rng) -> dict:
    """The demo fleet plus 300 submitted repair orders for its portal, some decided."""
    seed_demo(stdout)
    company = FleetCompany.objects.get(fleet_company_id="RR-10042")
    advisor = User.objects.filter(username="advisor").first()
    have = FleetRequest.objects.filter(company=company).count()
    if advisor is None or have >= BENCH_REQUESTS:
        return {}
    customer = FleetAccount.objects.filter(company=company).first().customer
    for index in range(have, BENCH_REQUESTS):
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                customer=customer,
                year=2018 + index % 6,
                make="Toyota",
                model="Corolla",
                plate=f"RRB{index:05d}",
                odometer=20000 + index * 97,
            )
            work_order = _work_order(
                vehicle,
                advisor,
                [
                    ("labor", f"Service item {n + 1}", f"{rng.randint(40, 400)}.00")
                    for n in range(rng.randint(2, 6))
                ],
            )
            request = services.fleet_request_submit(
                by=advisor, work_order=work_order, note="Routine fleet service"
            )
            if index % 3 == 0:
                keys = list(work_order.lines.order_by("id").values_list("id", flat=True))
                services.fleet_request_decide(
                    request=request,
                    version=request.current_version,
                    decisions=[
                        {"line": key, "decision": "approved" if n else "denied", "reason": "No"}
                        for n, key in enumerate(keys)
                    ],
                    by_name="Fleet desk",
                )
    stdout.write(f"  fleet: {BENCH_REQUESTS} repair orders sent to {company.name}")
    return {}

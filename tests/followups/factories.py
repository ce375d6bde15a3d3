from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import factory
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from followups.models import FollowUpList, LetterTemplate, SavedQuery
from workorders.models import Job, Stage, Status, WorkOrder


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = "Rivera"
    address_line1 = factory.Sequence(lambda n: f"{n + 10} Elm Street")
    city = "Springfield"
    state = "IL"
    postcode = "62704"


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    customer = factory.SubFactory(CustomerFactory)
    year = 2016
    make = "Honda"
    model = "Civic"
    odometer = 84210
    annual_mileage = 12000


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    name = factory.Sequence(lambda n: f"Reminder {n}")
    kind = LetterTemplate.Kind.LETTER
    subject = "Time for service, {{ first_name }}"
    body = "Dear {{ first_name }},\n\nYour {{ vehicle }} is due for service. Call {{ shop_name }}."


class SavedQueryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedQuery

    name = factory.Sequence(lambda n: f"Query {n}")
    collect = "customer"
    criteria = factory.LazyFunction(dict)
    fields = factory.LazyFunction(lambda: ["name", "address_line1", "city", "postcode"])


class FollowUpListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpList

    name = factory.Sequence(lambda n: f"Oil change reminder {n}")
    rule = FollowUpList.Rule.SERVICE_DUE
    category = "Maintenance"
    due_months = 6
    due_miles = 5000


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def invoice(
    vehicle: Vehicle,
    day: date,
    *,
    categories: tuple[str, ...] = ("Maintenance",),
    total: str = "120.00",
    title: str = "Change oil and filter",
) -> WorkOrder:
    """A billed-out work order on that day, with one job per category."""
    status = Status.objects.get(number=17)
    work_order = WorkOrder.objects.create(
        customer=vehicle.customer,
        vehicle=vehicle,
        status=status,
        stage=Stage.INVOICE,
        status_entered_at=at(day),
        created_at=at(day),
        closed_at=at(day),
        grand_total=Decimal(total),
        odometer_in=vehicle.odometer,
    )
    for position, category in enumerate(categories, start=1):
        Job.objects.create(work_order=work_order, position=position, title=title, category=category)
    return work_order


def with_email(customer: Customer, address: str | None = None, *, consent: bool = True):
    CustomerEmail.objects.create(
        customer=customer, address=address or f"c{customer.pk}@example.com"
    )
    customer.email_consent = consent
    customer.save(update_fields=["email_consent"])
    return customer


def with_cell(customer: Customer, number: str = "(217) 555-0101") -> Customer:
    CustomerPhone.objects.create(customer=customer, kind="cell", number=number, e164="+12175550101")
    return customer


def open_work_order(vehicle: Vehicle, *, stage: str = Stage.REPAIR_ORDER) -> WorkOrder:
    """An estimate or a repair order opened today for the vehicle (not billed out)."""
    now = timezone.now()
    status = Status.objects.get(number=1 if stage == Stage.ESTIMATE else 7)
    return WorkOrder.objects.create(
        customer=vehicle.customer, vehicle=vehicle, status=status, stage=stage,
        status_entered_at=now, created_at=now,
    )  # fmt: skip

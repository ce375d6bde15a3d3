from decimal import Decimal

import pytest

from payments.services import TenderInput
from shop.models import ShopProfile
from tests.workorders.factories import CustomerFactory, VehicleFactory
from workorders import services as workorder_services
from workorders.models import WorkOrder
from workorders.seeding import statuses_ensure


@pytest.fixture
def statuses(db):
    return statuses_ensure()


@pytest.fixture
def shop_rates(db):
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )


def work_order_write(by, *, amount="100.00", customer=None) -> WorkOrder:
    """An estimate for `customer` (a new one when None) with one labor line of `amount`."""
    vehicle = VehicleFactory(customer=customer or CustomerFactory())
    work_order = workorder_services.workorder_create(by=by, vehicle=vehicle, odometer_in=1000)
    job = workorder_services.job_add(
        by=by, work_order=work_order, version=work_order.version, title="Brakes", category="Brakes"
    )
    work_order.refresh_from_db()
    workorder_services.line_add(
        by=by,
        job=job,
        version=work_order.version,
        kind="labor",
        description="Replace front pads",
        quantity="1",
        unit_price=str(amount),
    )
    work_order.refresh_from_db()
    return work_order


def bill_out(work_order: WorkOrder, by) -> WorkOrder:
    from workorders.models import Status

    work_order.refresh_from_db()
    workorder_services.workorder_status_set(
        by=by,
        work_order=work_order,
        version=work_order.version,
        status=Status.objects.get(number=17),
    )
    work_order.refresh_from_db()
    return work_order


def reopen(work_order: WorkOrder, by) -> WorkOrder:
    from workorders.models import Status

    work_order.refresh_from_db()
    workorder_services.workorder_reopen(
        by=by,
        work_order=work_order,
        version=work_order.version,
        status=Status.objects.get(number=6),
        reason="Customer came back: noise",
    )
    work_order.refresh_from_db()
    return work_order


def cash(amount, tendered=None) -> TenderInput:
    return TenderInput("cash", Decimal(str(amount)), amount_tendered=tendered)


def card(amount, last4="4242") -> TenderInput:
    return TenderInput(
        "card", Decimal(str(amount)), card_brand="Visa", card_last4=last4, auth_code="A1B2C3"
    )


@pytest.fixture
def invoice(statuses, shop_rates, advisor):
    """A billed-out invoice of $100.00."""
    return bill_out(work_order_write(advisor, amount="100.00"), advisor)

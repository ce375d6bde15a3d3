from decimal import Decimal

import pytest

from shop.models import ShopProfile
from tests.fleet.factories import FleetAccountFactory, FleetCompanyFactory, FleetUserFactory
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.seeding import statuses_ensure


@pytest.fixture
def statuses(db):
    return statuses_ensure()


@pytest.fixture
def shop_rates(db):
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("0"),
            "labor_rate": Decimal("100"),
        },
    )


@pytest.fixture
def company(db):
    return FleetCompanyFactory(name="Rapid Rentals", fleet_company_id="RR-100")


@pytest.fixture
def other_company(db):
    return FleetCompanyFactory(name="Other Fleet", fleet_company_id="OF-200")


@pytest.fixture
def account(company):
    return FleetAccountFactory(company=company)


@pytest.fixture
def fleet_user(company):
    return FleetUserFactory(company=company, user__username="rapid").user


@pytest.fixture
def other_fleet_user(other_company):
    return FleetUserFactory(company=other_company, user__username="other").user


def add_line(work_order, job, advisor, description, price, kind="labor"):
    work_order.refresh_from_db()
    return services.line_add(
        by=advisor,
        job=job,
        version=work_order.version,
        kind=kind,
        description=description,
        quantity="1",
        unit_price=price,
    )


@pytest.fixture
def fleet_work_order(statuses, shop_rates, account, advisor):
    """A fleet account's estimate: one job, two lines ($100 brakes, $50 wipers)."""
    vehicle = VehicleFactory(customer=account.customer, vin="1FTFW1E50JFA12345")
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=42000)
    job = services.job_add(
        by=advisor,
        work_order=work_order,
        version=work_order.version,
        title="Brakes and wipers",
        category="Service",
    )
    add_line(work_order, job, advisor, "Replace front pads", "100.00")
    add_line(work_order, job, advisor, "Wiper blades", "50.00", kind="fee")
    work_order.refresh_from_db()
    work_order.test_job = job
    return work_order


def line_keys(work_order):
    return list(work_order.lines.order_by("id").values_list("id", flat=True))

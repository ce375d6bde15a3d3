from decimal import Decimal

import pytest

from shop.models import ShopProfile
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.seeding import statuses_ensure


@pytest.fixture
def statuses(db):
    """The standard statuses 1-17, by number."""
    return statuses_ensure()


@pytest.fixture
def shop_rates(db):
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )


@pytest.fixture
def vehicle(db):
    return VehicleFactory()


@pytest.fixture
def estimate(statuses, shop_rates, vehicle, advisor):
    return services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=84210)

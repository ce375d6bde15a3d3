from decimal import Decimal

import pytest

from shop.models import ShopProfile
from tests.reports.factories import november_shop
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
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )


@pytest.fixture
def shop(statuses, shop_rates, advisor, owner):
    """The November shop: see tests/reports/factories.py."""
    return november_shop(statuses=statuses, sam=advisor, owner=owner)

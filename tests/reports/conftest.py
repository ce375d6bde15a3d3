from decimal import Decimal

import pytest

from reports.services import source_categories_ensure
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
def source_categories(db):
    """The main source categories. A data migration writes them, but a test that flushes
    the database (transaction=True, live_server) empties the table for the tests after it."""
    return source_categories_ensure()


@pytest.fixture
def shop(statuses, shop_rates, source_categories, advisor, owner):
    """The November shop: see tests/reports/factories.py."""
    return november_shop(statuses=statuses, sam=advisor, owner=owner)

"""The pricing matrix: selling prices from cost, and a matrix saved whole or not at all."""

from decimal import Decimal

import pytest

from parts import services
from parts.models import PricingBand
from shop.errors import ServiceError
from tests.parts.factories import PartFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cost", "price"),
    [
        ("0.00", "0.00"),
        ("4.00", "10.00"),  # markup 150%
        ("9.99", "24.98"),  # 24.975 rounds half up
        ("10.00", "20.00"),  # the next band starts at its own start: markup 100%
        ("28.00", "56.00"),
        ("50.00", "87.50"),  # markup 75%
        ("118.00", "196.67"),  # margin 40%: 118 / 0.6
        ("250.00", "384.62"),  # margin 35%
        ("2100.00", "3230.77"),
    ],
)
def test_it_prices_each_cost_by_its_band(matrix, cost, price):
    assert services.price_for_cost(Decimal(cost), services.pricing_matrix()) == Decimal(price)


def test_a_fixed_price_wins_over_the_matrix(matrix):
    assert services.part_price(PartFactory(cost=Decimal("28.00"))) == Decimal("56.00")
    fixed = PartFactory(cost=Decimal("28.00"), fixed_price=Decimal("64.99"))
    assert services.part_price(fixed) == Decimal("64.99")


def test_without_a_matrix_a_part_sells_at_cost(db):
    assert services.part_price(PartFactory(cost=Decimal("28.00"))) == Decimal("28.00")


def _bands(*rows):
    return [
        {"cost_from": low, "cost_to": high, "method": method, "percent": percent}
        for low, high, method, percent in rows
    ]


def test_it_saves_a_whole_matrix_and_ignores_empty_rows(manager_user):
    services.pricing_matrix_set(
        by=manager_user,
        bands=_bands(
            ("25", "", "margin", "40"),
            ("0", "25", "markup", "100"),
            ("", "", "markup", ""),
        ),
    )
    saved = list(PricingBand.objects.values_list("cost_from", "cost_to", "method", "percent"))
    assert saved == [
        (Decimal("0.00"), Decimal("25.00"), "markup", Decimal("100.00")),
        (Decimal("25.00"), None, "margin", Decimal("40.00")),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("0", "50", "markup", "100"), ("40", "", "markup", "50")],
            "The bands $0.00–$50.00 and $40.00–and up overlap: a part costing $40.00 would "
            "have two prices.",
        ),
        (
            [("0", "50", "markup", "100"), ("60", "", "markup", "50")],
            "There is a gap between $50.00 and $60.00: no band prices a part costing $50.00.",
        ),
        ([("5", "", "markup", "100")], "The first band must start at $0.00"),
        ([("0", "50", "markup", "100")], "The last band must have no end"),
        ([("0", "", "margin", "100")], "a margin must be under 100%"),
        ([("0", "", "markup", "-5")], "the percent cannot be negative"),
        ([("0", "10", "markup", "5"), ("10", "5", "markup", "5")], "is not above where"),
        ([("0", "", "markup", "lots")], "the percent must be a number"),
        ([("", "", "markup", "")], "at least one band"),
        ([("0", "", "markup", "")], "needs a markup or margin percent"),
    ],
)
def test_it_refuses_a_bad_matrix_and_keeps_the_old_one(matrix, manager_user, rows, message):
    before = list(PricingBand.objects.values_list("cost_from", "cost_to", "method", "percent"))
    with pytest.raises(ServiceError, match=message.replace("$", r"\$").replace("(", r"\(")):
        services.pricing_matrix_set(by=manager_user, bands=_bands(*rows))
    after = list(PricingBand.objects.values_list("cost_from", "cost_to", "method", "percent"))
    assert after == before


@pytest.fixture
def manager_user(employee_at):
    return employee_at(2)

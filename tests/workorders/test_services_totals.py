from decimal import Decimal

import pytest

from workorders.services import money, totals_compute


def line(kind, amount, discount="0.00", taxable=False):
    return {
        "kind": kind,
        "amount": Decimal(amount),
        "discount": Decimal(discount),
        "taxable": taxable,
    }


def test_it_rounds_half_up_to_the_cent():
    assert money(Decimal("208.995")) == Decimal("209.00")
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.344")) == Decimal("2.34")


def test_it_adds_up_lines_and_taxes_only_taxable_ones():
    totals = totals_compute(
        [
            line("labor", "208.50"),
            line("part", "64.99", taxable=True),
            line("part", "19.90", discount="5.00", taxable=True),
            line("fee", "4.95", taxable=True),
            line("sublet", "120.00"),
        ],
        Decimal("8.250"),
    )
    assert totals.labor == Decimal("208.50")
    assert totals.parts == Decimal("84.89")
    assert totals.fees == Decimal("4.95")
    assert totals.sublet == Decimal("120.00")
    assert totals.discount == Decimal("5.00")
    # taxable: 64.99 + 14.90 + 4.95 = 84.84; × 8.25 % = 6.9993 → 7.00
    assert totals.taxable == Decimal("84.84")
    assert totals.tax == Decimal("7.00")
    assert totals.subtotal == Decimal("413.34")
    assert totals.grand == Decimal("420.34")


@pytest.mark.parametrize(
    ("taxable", "rate", "tax"),
    [
        ("10.00", "8.250", "0.83"),
        ("0.06", "8.250", "0.00"),
        ("0.07", "7.125", "0.00"),
        ("100.00", "7.125", "7.13"),
        ("33.33", "6.000", "2.00"),
    ],
)
def test_it_rounds_tax_once(taxable, rate, tax):
    totals = totals_compute([line("part", taxable, taxable=True)], Decimal(rate))
    assert totals.tax == Decimal(tax)

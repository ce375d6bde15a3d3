"""Money: every amount is a Decimal, rounded once, to the cent, half up.

A line's amount is quantity × unit price rounded to the cent (what the
customer sees printed on the line). Subtotals are exact sums of those cents.
Tax is the taxable net (taxable lines' amounts less their discounts) × the
shop's rate, rounded to the cent once. So every figure is rounded exactly once
and the printed lines always add up to the printed totals. Lines of declined
jobs are shown but not charged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    labor: Decimal = ZERO
    parts: Decimal = ZERO
    fees: Decimal = ZERO
    sublet: Decimal = ZERO
    discount: Decimal = ZERO
    taxable: Decimal = ZERO
    tax_rate: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def subtotal(self) -> Decimal:
        return self.labor + self.parts + self.fees + self.sublet - self.discount

    @property
    def grand(self) -> Decimal:
        return self.subtotal + self.tax

    def as_fields(self) -> dict[str, Decimal]:
        """The WorkOrder columns these totals are stored in."""
        return {
            "labor_total": self.labor,
            "parts_total": self.parts,
            "fees_total": self.fees,
            "sublet_total": self.sublet,
            "discount_total": self.discount,
            "taxable_total": self.taxable,
            "tax_rate": self.tax_rate,
            "tax_total": self.tax,
            "grand_total": self.grand,
        }


def _get(line: Any, name: str) -> Any:
    return line[name] if isinstance(line, dict) else getattr(line, name)


def totals_compute(lines: Iterable[Any], tax_rate: Decimal) -> Totals:
    """Totals of lines (objects or dicts with kind, amount, discount, taxable), tax rate in %."""
    sums = {"labor": ZERO, "part": ZERO, "fee": ZERO, "sublet": ZERO}
    discount = ZERO
    taxable = ZERO
    for line in lines:
        amount = _get(line, "amount")
        line_discount = _get(line, "discount")
        sums[_get(line, "kind")] += amount
        discount += line_discount
        if _get(line, "taxable"):
            taxable += amount - line_discount
    tax = money(taxable * Decimal(tax_rate) / Decimal(100))
    return Totals(
        labor=sums["labor"],
        parts=sums["part"],
        fees=sums["fee"],
        sublet=sums["sublet"],
        discount=discount,
        taxable=taxable,
        tax_rate=Decimal(tax_rate),
        tax=tax,
    )

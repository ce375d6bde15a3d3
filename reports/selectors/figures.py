"""Ratios the reports print, rounded once, half up, from exact sums."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ZERO = Decimal("0.00")


def money(value: Decimal | int | float | None) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def hours(value: Decimal | float | None) -> Decimal:
    return money(value)


def average(total: Decimal, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole × 100, to a tenth of a percent; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole to the hundredth (return on spend: $ revenue per $ spent)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)

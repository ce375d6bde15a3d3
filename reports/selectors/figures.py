"""Ratios the reports print, rounded once, half up, from exact sums."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from workorders.services import CENT, ZERO, totals

TENTH = Decimal("0.1")


def money(value: Decimal | int | float | None) -> Decimal:
    """An amount from the summaries (a float from SQL, or None) to the cent, half up."""
    return ZERO if value is None else totals.money(str(value))


def hours(value: Decimal | float | None) -> Decimal:
    return money(value)


def average(total: Decimal, count: int) -> Decimal | None:
    """total / count to the cent; None when there is nothing to count."""
    return ratio(total, count)


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

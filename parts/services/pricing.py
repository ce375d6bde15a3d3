"""The shop's parts pricing matrix: cost bands, each with a markup or a margin.

A part's selling price is its fixed price when it has one, otherwise its cost through the
matrix: markup 100% doubles the cost; margin 40% makes the cost 60% of the price. The price
is rounded once to the cent (half up), as the counter rounds lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.db import transaction

from parts.models import Part, PricingBand
from shop.errors import ServiceError
from shop.models import User

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    cost_from: Decimal
    cost_to: Decimal | None
    method: str
    percent: Decimal

    def covers(self, cost: Decimal) -> bool:
        return cost >= self.cost_from and (self.cost_to is None or cost < self.cost_to)

    def price(self, cost: Decimal) -> Decimal:
        if self.method == PricingBand.Method.MARGIN:
            return _money(cost / (1 - self.percent / HUNDRED))
        return _money(cost * (1 + self.percent / HUNDRED))


def pricing_matrix() -> list[Band]:
    """The matrix's bands, lowest cost first (one query)."""
    return [
        Band(b.cost_from, b.cost_to, b.method, b.percent)
        for b in PricingBand.objects.order_by("cost_from")
    ]


def price_for_cost(cost: Decimal, bands: Sequence[Band]) -> Decimal:
    """The selling price of a part that costs `cost`. Without a matrix a part sells at cost
    (the parts list warns that the matrix is missing)."""
    for band in bands:
        if band.covers(cost):
            return band.price(cost)
    return _money(cost)


def part_price(part: Part, bands: Sequence[Band] | None = None) -> Decimal:
    """What the part sells for: its fixed price, or its cost through the matrix."""
    if part.fixed_price is not None:
        return part.fixed_price
    return price_for_cost(part.cost, pricing_matrix() if bands is None else bands)


def part_prices(parts: Iterable[Part]) -> None:
    """Set `.price` on each part with one read of the matrix."""
    bands = pricing_matrix()
    for part in parts:
        part.price = part_price(part, bands)


def _amount(value: Any, label: str, field: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace("$", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label} must be a number.", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label} must be a number.", field=field)
    return number


def _dollars(value: Decimal) -> str:
    return f"${value:,.2f}"


def _band_text(band: Band) -> str:
    end = _dollars(band.cost_to) if band.cost_to is not None else "and up"
    return f"{_dollars(band.cost_from)}–{end}"


@transaction.atomic
def pricing_matrix_set(*, by: User, bands: list[dict[str, Any]]) -> list[Band]:
    """Replace the whole matrix. The bands must start at $0.00, follow one another without
    a gap or an overlap (each starts where the one before ends) and the last has no end, so
    every cost has exactly one price. A bad matrix changes nothing and says where it is bad.

    Each band is {cost_from, cost_to (None for the last), method, percent}; rows that are
    entirely empty are ignored (the page's spare rows).
    """
    checked: list[Band] = []
    for index, row in enumerate(bands, start=1):
        values = [row.get(name) for name in ("cost_from", "cost_to", "percent")]
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        where = f"Band {index}"
        cost_from = _amount(row.get("cost_from"), f"{where}: the cost from", "cost_from")
        cost_to = _amount(row.get("cost_to"), f"{where}: the cost up to", "cost_to")
        percent = _amount(row.get("percent"), f"{where}: the percent", "percent")
        if cost_from is None:
            raise ServiceError(f"{where} needs the cost it starts from.", field="cost_from")
        if percent is None:
            raise ServiceError(f"{where} needs a markup or margin percent.", field="percent")
        if cost_from < 0 or (cost_to is not None and cost_to < 0):
            raise ServiceError(f"{where}: a cost cannot be negative.", field="cost_from")
        if percent < 0:
            raise ServiceError(f"{where}: the percent cannot be negative.", field="percent")
        method = row.get("method") or PricingBand.Method.MARKUP
        if method not in PricingBand.Method.values:
            raise ServiceError(f"{where}: choose markup or margin.", field="method")
        if method == PricingBand.Method.MARGIN and percent >= HUNDRED:
            raise ServiceError(
                f"{where}: a margin must be under 100% (at 100% the price would be infinite).",
                field="percent",
            )
        if percent >= Decimal("10000"):
            raise ServiceError(f"{where}: the percent is too large.", field="percent")
        if cost_to is not None and cost_to <= cost_from:
            raise ServiceError(
                f"{where} ends at {_dollars(cost_to)}, which is not above where it starts "
                f"({_dollars(cost_from)}).",
                field="cost_to",
            )
        checked.append(Band(_money(cost_from), cost_to and _money(cost_to), method, percent))
    if not checked:
        raise ServiceError("The matrix needs at least one band (for example $0.00 and up).")
    checked.sort(key=lambda b: b.cost_from)
    if checked[0].cost_from != 0:
        raise ServiceError(
            f"The first band must start at $0.00; no band prices a part costing less than "
            f"{_dollars(checked[0].cost_from)}.",
            field="cost_from",
        )
    for before, after in pairwise(checked):
        if before.cost_to is None or after.cost_from < before.cost_to:
            raise ServiceError(
                f"The bands {_band_text(before)} and {_band_text(after)} overlap: a part "
                f"costing {_dollars(after.cost_from)} would have two prices.",
                field="cost_to",
            )
        if after.cost_from > before.cost_to:
            raise ServiceError(
                f"There is a gap between {_dollars(before.cost_to)} and "
                f"{_dollars(after.cost_from)}: no band prices a part costing "
                f"{_dollars(before.cost_to)}.",
                field="cost_from",
            )
    if checked[-1].cost_to is not None:
        raise ServiceError(
            f"The last band must have no end (“and up”); no band prices a part costing "
            f"{_dollars(checked[-1].cost_to)} or more.",
            field="cost_to",
        )
    PricingBand.objects.all().delete()
    PricingBand.objects.bulk_create(
        PricingBand(cost_from=b.cost_from, cost_to=b.cost_to, method=b.method, percent=b.percent)
        for b in checked
    )
    return checked

"""A catalog part put on a work order.

Workorders owns lines and must never import parts (parts sits above it), so the catalog
part behind a line is remembered here, in `PartLine`, and this service wraps workorders'
own line service: it adds the line there (checks, the labor-line rule, totals and the
optimistic lock all stay workorders'), adds the part's core charge as a second line, and
writes the PartLine, all in one transaction. A price typed on the line is allowed; it is
kept as typed and shows as an override of the catalog's price.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parts.models import Part, PartLine
from parts.services.catalog import decimal_read
from parts.services.pricing import part_price
from shop.errors import ServiceError
from shop.models import User
from workorders import services as workorder_services
from workorders.models import Job, Line, LineKind


@transaction.atomic
def part_line_add(
    *,
    by: User,
    job: Job,
    version: int | None,
    part: Part,
    quantity: Any = "1",
    unit_price: Any = None,
    unit_cost: Any = None,
    description: str = "",
    discount: Any = "0",
    taxable: bool | None = None,
) -> Line:
    """Add `part` to `job`: its number, description, price (fixed, or its cost through the
    matrix, unless one is typed), cost and tax; then its core charge line when it has one.
    Returns the part's line."""
    part = Part.objects.get(pk=part.pk)
    if not part.is_active:
        raise ServiceError(
            f"{part.number} is no longer offered in the catalog; type the line by hand or "
            "choose another part.",
            field="part_number",
        )
    catalog_price = part_price(part)
    typed_price = decimal_read(unit_price, "The price", "unit_price", optional=True)
    price: Decimal | None = catalog_price if typed_price is None else typed_price
    if part.kind == LineKind.LABOR and part.fixed_price is None and typed_price is None:
        price = None  # a labor item without its own rate: the shop's labor rate
    typed_cost = decimal_read(unit_cost, "The cost", "unit_cost", optional=True)
    line = workorder_services.line_add(
        by=by,
        job=job,
        version=version,
        kind=part.kind,
        part_number=part.number,
        description=(description or "").strip() or part.description,
        quantity=quantity,
        unit_price=price,
        unit_cost=part.cost if typed_cost is None else typed_cost,
        discount=discount or "0",
        taxable=part.taxable if taxable is None else taxable,
    )
    core_line = None
    if part.core_charge > 0:
        # Claimed already in this transaction: no second version check.
        core_line = workorder_services.line_add(
            by=by,
            job=job,
            version=None,
            kind=LineKind.FEE,
            part_number=part.number,
            description=f"Core charge: {part.description}"[:200],
            quantity=line.quantity,
            unit_price=part.core_charge,
            unit_cost=part.core_charge,
            taxable=part.taxable,
        )
    PartLine.objects.create(
        line=line,
        part=part,
        catalog_price=line.unit_price if price is None else catalog_price,
        core_line=core_line,
        added_by=by,
    )
    return line

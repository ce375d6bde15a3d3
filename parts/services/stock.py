"""Stock: every change is a StockMovement row, written once and never changed. On hand is
the sum of a part's movements, so two sales of the last unit at the same moment both go
through (two rows, on hand -1: the shop had the part in hand or it did not) and none is lost.

Sales and returns follow the work orders: billing out sells the stocked catalog parts of
its lines, reopening the invoice returns them (parts.subscriptions). Both settle the work
order's movements against what its lines say, so billing out again after a reopen, with a
line removed or its quantity changed, sells exactly the difference.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from parts.models import Part, PartLine, StockMovement
from parts.services.catalog import decimal_read
from shop.errors import ServiceError
from shop.models import User
from workorders.models import Job, LineKind, WorkOrder

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
QUANTITY_LIMIT = Decimal("100000")


def on_hand(part: Part) -> Decimal:
    return StockMovement.objects.filter(part=part).aggregate(total=Sum("quantity"))[
        "total"
    ] or Decimal("0.00")


def _quantity(value: Any, label: str, *, signed: bool = False) -> Decimal:
    text = "" if value is None else str(value).strip()
    negative = signed and text.startswith("-")
    number = decimal_read(text.lstrip("-") if negative else text, label, "quantity")
    number = -number if negative else number
    if abs(number) >= QUANTITY_LIMIT:
        raise ServiceError(f"{label} is too large.", field="quantity")
    return number


def _locked(part: Part) -> Part:
    """The part's row, locked: receipts and counts on one part take turns, so each reads
    the on-hand the other left."""
    return Part.objects.select_for_update().get(pk=part.pk)


def _stocked_check(part: Part) -> None:
    if part.kind != LineKind.PART:
        raise ServiceError(
            f"{part.number} is a {part.get_kind_display().lower()} item: it has no stock."
        )


@transaction.atomic
def stock_receive(
    *, by: User | None, part: Part, quantity: Any, unit_cost: Any, reason: str = ""
) -> StockMovement:
    """Parts received: on hand goes up and the average cost follows (weighted by what was
    on hand; with nothing, or less than nothing, on hand it becomes the receipt's cost)."""
    part = _locked(part)
    _stocked_check(part)
    received = _quantity(quantity, "The quantity received")
    if received <= 0:
        raise ServiceError("Receive at least one.", field="quantity")
    cost = decimal_read(unit_cost, "The cost", "unit_cost", optional=True)
    cost = part.cost if cost is None else cost
    before = on_hand(part)
    if before > 0:
        average = (before * part.average_cost + received * cost) / (before + received)
    else:
        average = cost
    part.average_cost = average.quantize(CENT, rounding=ROUND_HALF_UP)
    part.save(update_fields=["average_cost", "updated_at"])
    return StockMovement.objects.create(
        part=part,
        kind=StockMovement.Kind.RECEIVED,
        quantity=received,
        unit_cost=cost,
        reason=reason.strip()[:200],
        by=by,
        at=timezone.now(),
    )


@transaction.atomic
def stock_adjust(*, by: User | None, part: Part, quantity: Any, reason: str) -> StockMovement:
    """A change of on hand outside sales and receipts (damaged, lost, found), with why."""
    part = _locked(part)
    _stocked_check(part)
    change = _quantity(quantity, "The change", signed=True)
    if change == 0:
        raise ServiceError("Give the change: 2 adds two, -1 takes one off.", field="quantity")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError("Say why the stock is adjusted.", field="reason")
    return StockMovement.objects.create(
        part=part,
        kind=StockMovement.Kind.ADJUSTED,
        quantity=change,
        unit_cost=part.average_cost,
        reason=reason[:200],
        by=by,
        at=timezone.now(),
    )


@transaction.atomic
def stock_count(*, by: User | None, part: Part, counted: Any, reason: str = "") -> StockMovement:
    """A count of the shelf: the movement is the difference between what was counted and
    what the movements said (zero when they agree, kept as a record of the count)."""
    part = _locked(part)
    _stocked_check(part)
    number = _quantity(counted, "The count")
    return StockMovement.objects.create(
        part=part,
        kind=StockMovement.Kind.COUNTED,
        quantity=number - on_hand(part),
        unit_cost=part.average_cost,
        reason=(reason or "").strip()[:200] or f"Counted {number.normalize():f}",
        by=by,
        at=timezone.now(),
    )


def _settle(work_order: WorkOrder, wanted: dict[int, Decimal], by: User | None) -> list:
    """Write the sales and returns that bring the work order's net sales to `wanted`
    ({part id: quantity}). Three queries, whatever the number of lines."""
    net_sold: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for part_id, total in (
        StockMovement.objects.filter(
            work_order=work_order,
            kind__in=[StockMovement.Kind.SOLD, StockMovement.Kind.RETURNED],
        )
        .order_by()
        .values("part_id")
        .annotate(total=Sum("quantity"))
        .values_list("part_id", "total")
    ):
        net_sold[part_id] = -total
    changes = {
        part_id: wanted.get(part_id, ZERO) - net_sold.get(part_id, ZERO)
        for part_id in set(wanted) | set(net_sold)
    }
    changes = {part_id: change for part_id, change in changes.items() if change}
    if not changes:
        return []
    costs = dict(Part.objects.filter(pk__in=changes).values_list("pk", "average_cost"))
    now = timezone.now()
    rows = [
        StockMovement(
            part_id=part_id,
            kind=StockMovement.Kind.SOLD if change > 0 else StockMovement.Kind.RETURNED,
            quantity=-change,
            unit_cost=costs[part_id],
            work_order=work_order,
            reason=f"Invoice #{work_order.pk}" + ("" if change > 0 else " reopened"),
            by=by,
            at=now,
        )
        for part_id, change in sorted(changes.items())
    ]
    return StockMovement.objects.bulk_create(rows)


@transaction.atomic
def stock_work_order_sell(*, work_order: WorkOrder, by: User | None) -> list:
    """Billing out: the stocked catalog parts on the invoice leave the shelf (declined
    jobs are not charged, so not sold)."""
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for part_id, quantity in (
        PartLine.objects.filter(
            line__work_order=work_order, part__kind=LineKind.PART, part__stocked=True
        )
        .exclude(line__job__approval=Job.Approval.DECLINED)
        .values_list("part_id", "line__quantity")
    ):
        wanted[part_id] += quantity
    movements = _settle(work_order, dict(wanted), by)
    # The parts this sale took below their reorder point: parts.events.part_low_stock.
    from parts.services.low_stock import stock_low_publish

    stock_low_publish(movements=movements, work_order=work_order, by=by)
    return movements


@transaction.atomic
def stock_work_order_return(*, work_order: WorkOrder, by: User | None) -> list:
    """Reopening the invoice: what it sold goes back on the shelf."""
    return _settle(work_order, {}, by)

"""Purchase orders: made from the reorder suggestions (grouped by each part's vendor) or
from a repair order's special-order parts, edited while a draft, sent (by e-mail through
the outbox with the PDF attached, or marked ordered by phone), received in full or in part
(each receipt a `received` stock movement that moves the average cost), and what goes back
to the vendor (parts returned, cores returned) with the credit noted on the order.

Every function checks everything it was given before it writes anything, so a refusal
leaves nothing changed.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from outbox.models import Channel
from outbox.services import outbound_message_enqueue
from parts.models import (
    Part,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderReceipt,
    StockMovement,
    Vendor,
    VendorCredit,
    VendorPart,
)
from parts.services.catalog import decimal_read
from parts.services.stock import _locked, _quantity, stock_receive
from shop.errors import ServiceError
from shop.models import User
from workorders.models import LineKind, Stage, WorkOrder

ZERO = Decimal("0.00")
Status = PurchaseOrder.Status


def _locked_order(order: PurchaseOrder) -> PurchaseOrder:
    """The order's row, locked: two people receiving one order take turns."""
    return PurchaseOrder.objects.select_for_update().select_related("vendor").get(pk=order.pk)


def _draft_check(order: PurchaseOrder) -> None:
    if order.status != Status.DRAFT:
        raise ServiceError(
            f"PO #{order.pk} is {order.get_status_display().lower()}: only a draft's lines change."
        )


def _positive_quantity(value: Any, label: str = "The quantity") -> Decimal:
    text = "" if value is None else str(value).strip()
    if text.startswith("-"):
        raise ServiceError(f"{label} cannot be negative.", field="quantity")
    number = _quantity(text, label)
    if number <= 0:
        raise ServiceError(f"{label} must be more than zero.", field="quantity")
    return number


def _orderable(part: Part) -> None:
    if part.kind != LineKind.PART:
        raise ServiceError(
            f"{part.number} is a {part.get_kind_display().lower()} item: it is not ordered."
        )


def _vendor_number(vendor: Vendor, part: Part) -> str:
    row = VendorPart.objects.filter(vendor=vendor, part=part).first()
    return row.vendor_number if row else ""


@transaction.atomic
def purchase_order_create(*, by: User | None, vendor: Vendor, notes: str = "",
                          work_order: WorkOrder | None = None) -> PurchaseOrder:  # fmt: skip
    """An empty draft to a vendor."""
    if not vendor.is_active:
        raise ServiceError(f"{vendor} is inactive: make it active to order from it.")
    return PurchaseOrder.objects.create(
        vendor=vendor, notes=(notes or "").strip(), work_order=work_order, created_by=by
    )


@transaction.atomic
def purchase_order_line_add(
    *, by: User | None, purchase_order: PurchaseOrder, part: Part, quantity: Any,
    unit_cost: Any = None, work_order_line=None,
) -> PurchaseOrderLine:  # fmt: skip
    """A part on a draft; the cost is the vendor's for it (or the part's) unless typed."""
    order = _locked_order(purchase_order)
    _draft_check(order)
    _orderable(part)
    number = _positive_quantity(quantity)
    cost = decimal_read(unit_cost, "The cost", "unit_cost", optional=True)
    vendor_part = VendorPart.objects.filter(vendor=order.vendor, part=part).first()
    if cost is None:
        cost = vendor_part.cost if vendor_part else part.cost
    return PurchaseOrderLine.objects.create(
        purchase_order=order,
        part=part,
        vendor_number=vendor_part.vendor_number if vendor_part else "",
        description=part.description,
        quantity_ordered=number,
        unit_cost=cost,
        work_order_line=work_order_line,
        work_order_id=work_order_line.work_order_id if work_order_line is not None else None,
    )


@transaction.atomic
def purchase_order_line_update(*, by: User | None, line: PurchaseOrderLine, quantity: Any,
                               unit_cost: Any) -> PurchaseOrderLine:  # fmt: skip
    order = _locked_order(line.purchase_order)
    _draft_check(order)
    line.quantity_ordered = _positive_quantity(quantity)
    line.unit_cost = decimal_read(unit_cost, "The cost", "unit_cost")
    line.save(update_fields=["quantity_ordered", "unit_cost"])
    return line


@transaction.atomic
def purchase_order_line_remove(*, by: User | None, line: PurchaseOrderLine) -> None:
    order = _locked_order(line.purchase_order)
    _draft_check(order)
    line.delete()


@transaction.atomic
def purchase_orders_from_suggestions(
    *, by: User | None, quantities: dict[int, Any]
) -> list[PurchaseOrder]:
    """One draft per vendor for the chosen suggestions ({part id: quantity}), each part
    ordered from its cheapest vendor. Parts without a vendor, or that are no longer
    suggested, are refused by name; nothing is written then."""
    from parts.purchasing_selectors import reorder_suggestions

    if not quantities:
        raise ServiceError("Choose at least one part to order.")
    wanted = {
        int(pk): _positive_quantity(q, "The quantity to order") for pk, q in quantities.items()
    }
    groups = reorder_suggestions(wanted)
    suggested = {row.part.pk: row for group in groups for row in group.rows}
    missing = [pk for pk in wanted if pk not in suggested]
    if missing:
        numbers = ", ".join(
            sorted(Part.objects.filter(pk__in=missing).values_list("number", flat=True))
        )
        raise ServiceError(
            "No longer below the reorder point (or already on order): "
            f"{numbers or 'unknown parts'}."
        )
    no_vendor = [row.part.number for row in suggested.values() if row.vendor_part is None]
    if no_vendor:
        raise ServiceError(
            f"Give these parts a vendor first (on the part's page): {', '.join(sorted(no_vendor))}."
        )
    orders = []
    for group in groups:
        order = PurchaseOrder.objects.create(vendor=group.vendor, created_by=by)
        PurchaseOrderLine.objects.bulk_create(
            PurchaseOrderLine(
                purchase_order=order,
                part=row.part,
                vendor_number=row.vendor_part.vendor_number,
                description=row.part.description,
                quantity_ordered=wanted[row.part.pk],
                unit_cost=row.vendor_part.cost,
            )
            for row in group.rows
        )
        orders.append(order)
    return orders


@transaction.atomic
def purchase_orders_from_work_order(
    *, by: User | None, work_order: WorkOrder
) -> list[PurchaseOrder]:
    """Drafts for the repair order's special-order (non-stock) parts not yet ordered, one
    per vendor; each line remembers the repair order's line it is for."""
    from parts.purchasing_selectors import special_order_parts

    if work_order.stage == Stage.INVOICE or work_order.closed_at is not None:
        raise ServiceError(f"#{work_order.pk} is billed out: its parts are no longer ordered.")
    rows = [row for row in special_order_parts(work_order) if not row.ordered]
    if not rows:
        raise ServiceError(f"#{work_order.pk} has no special-order part left to order.")
    no_vendor = sorted({row.part_line.part.number for row in rows if row.vendor_part is None})
    if no_vendor:
        raise ServiceError(
            f"Give these parts a vendor first (on the part's page): {', '.join(no_vendor)}."
        )
    by_vendor: dict[int, list] = defaultdict(list)
    for row in rows:
        by_vendor[row.vendor_part.vendor_id].append(row)
    orders = []
    for group in by_vendor.values():
        order = PurchaseOrder.objects.create(
            vendor=group[0].vendor_part.vendor, created_by=by, work_order=work_order,
            notes=f"Special order for repair order #{work_order.pk}",
        )  # fmt: skip
        PurchaseOrderLine.objects.bulk_create(
            PurchaseOrderLine(
                purchase_order=order,
                part=row.part_line.part,
                vendor_number=row.vendor_part.vendor_number,
                description=row.part_line.part.description,
                quantity_ordered=row.part_line.line.quantity,
                unit_cost=row.vendor_part.cost,
                work_order_line=row.part_line.line,
                work_order=work_order,
            )
            for row in group
            if row.part_line.line.quantity > 0
        )
        orders.append(order)
    return orders


def purchase_order_email_body(order: PurchaseOrder) -> str:
    from shop.selectors import shop_profile_get

    shop = shop_profile_get()
    lines = list(order.lines.order_by("id"))
    listed = "\n".join(
        f"- {line.quantity_ordered.normalize():f} × {line.vendor_number or line.part.number}"
        f" {line.description}"
        for line in lines
    )
    account = f" (account {order.vendor.account_number})" if order.vendor.account_number else ""
    return (
        f"Hello{' ' + order.vendor.contact_name if order.vendor.contact_name else ''},\n\n"
        f"Please find attached purchase order #{order.pk} from {shop.name}{account}:\n\n"
        f"{listed}\n\nThank you."
    )


@transaction.atomic
def purchase_order_send(*, by: User | None, purchase_order: PurchaseOrder,
                        email: bool = True) -> PurchaseOrder:  # fmt: skip
    """A draft is sent: by e-mail to the vendor (an outbox row, the PDF attached when it
    leaves; see parts.documents), or marked ordered (by phone, at the counter)."""
    order = _locked_order(purchase_order)
    if order.status != Status.DRAFT:
        raise ServiceError(f"PO #{order.pk} is {order.get_status_display().lower()}, not a draft.")
    if not order.lines.exists():
        raise ServiceError(f"PO #{order.pk} has no lines: add a part first.")
    if email:
        if not order.vendor.email:
            raise ServiceError(
                f"{order.vendor} has no e-mail address: add one on the vendor, or mark the "
                "order as ordered by phone."
            )
        outbound_message_enqueue(
            channel=Channel.EMAIL,
            to=order.vendor.email,
            subject=f"Purchase order #{order.pk}",
            body=purchase_order_email_body(order),
            idempotency_key=f"parts:purchase_order:{order.pk}:sent",
            cause=order,
            sent_by=by,
            check_consent=False,
        )
        order.emailed_to = order.vendor.email
    order.status = Status.SENT
    order.sent_at = timezone.now()
    order.sent_by = by
    order.save(update_fields=["status", "sent_at", "sent_by", "emailed_to", "updated_at"])
    return order


@transaction.atomic
def purchase_order_cancel(*, by: User | None, purchase_order: PurchaseOrder) -> PurchaseOrder:
    order = _locked_order(purchase_order)
    if order.status in (Status.RECEIVED, Status.CANCELLED):
        raise ServiceError(f"PO #{order.pk} is {order.get_status_display().lower()} already.")
    if order.lines.filter(quantity_received__gt=0).exists():
        raise ServiceError(
            f"Parts of PO #{order.pk} were received: it cannot be cancelled (return them "
            "to the vendor instead)."
        )
    order.status = Status.CANCELLED
    order.cancelled_at = timezone.now()
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    return order


def _status_after_receipt(order: PurchaseOrder) -> str:
    lines = list(order.lines.values_list("quantity_ordered", "quantity_received"))
    if all(received >= ordered for ordered, received in lines):
        return Status.RECEIVED
    return Status.PARTIAL if any(received > 0 for _o, received in lines) else Status.SENT


@transaction.atomic
def purchase_order_receive(
    *, by: User | None, purchase_order: PurchaseOrder, quantities: dict[int, Any],
    costs: dict[int, Any] | None = None, confirm_over: bool = False,
) -> list[PurchaseOrderReceipt]:  # fmt: skip
    """What arrived ({line id: quantity}; blank or 0: nothing for that line), at the
    order's cost unless a cost is typed ({line id: cost}). Each stocked part's receipt is
    a `received` movement that moves its average cost. More than is outstanding is taken
    only with `confirm_over`, and the excess is recorded on the receipt."""
    order = _locked_order(purchase_order)
    if order.status == Status.CANCELLED:
        raise ServiceError(f"PO #{order.pk} was cancelled: nothing is received against it.")
    if order.status == Status.DRAFT:
        raise ServiceError(f"PO #{order.pk} is a draft: send it (or mark it ordered) first.")
    costs = costs or {}
    lines = {line.pk: line for line in order.lines.select_related("part").order_by("id")}
    plan = []
    over = []
    for key, raw in quantities.items():
        if str(raw or "").strip() in ("", "0"):
            continue
        line = lines.get(int(key))
        if line is None:
            raise ServiceError(f"That line is not on PO #{order.pk}.")
        label = f"The quantity received of {line.part.number}"
        number = _positive_quantity(raw, label)
        cost = decimal_read(costs.get(key, costs.get(int(key))), f"The cost of {line.part.number}",
                            "unit_cost", optional=True)  # fmt: skip
        excess = max(number - line.outstanding, ZERO)
        if excess:
            over.append(f"{line.part.number} ({excess.normalize():f} more than ordered)")
        plan.append((line, number, line.unit_cost if cost is None else cost, excess))
    if not plan:
        raise ServiceError("Type how many of at least one line arrived.", field="quantity")
    if over and not confirm_over:
        raise ServiceError(
            "More than was ordered: " + ", ".join(over) + ". Check the packing slip; tick "
            "“Receive more than ordered” to take them.",
            field="confirm_over",
            code="over_receipt",
        )
    now = timezone.now()
    receipts = []
    for line, number, cost, excess in plan:
        movement = None
        if line.part.stocked and line.part.kind == LineKind.PART:
            movement = stock_receive(
                by=by, part=line.part, quantity=number, unit_cost=cost,
                reason=f"PO #{order.pk} from {order.vendor}"
                + (f" ({excess.normalize():f} beyond the order, confirmed)" if excess else ""),
            )  # fmt: skip
        line.quantity_received += number
        line.save(update_fields=["quantity_received"])
        receipts.append(
            PurchaseOrderReceipt(
                line=line,
                quantity=number,
                unit_cost=cost,
                over_ordered=excess,
                movement=movement,
                by=by,
                at=now,
            )
        )
    PurchaseOrderReceipt.objects.bulk_create(receipts)
    order.status = _status_after_receipt(order)
    order.save(update_fields=["status", "updated_at"])
    return receipts


@transaction.atomic
def purchase_order_return(
    *, by: User | None, line: PurchaseOrderLine, kind: str, quantity: Any,
    unit_credit: Any = None, reason: str = "",
) -> VendorCredit:  # fmt: skip
    """Parts sent back to the vendor (off the shelf: a `to_vendor` movement at the cost
    received) or cores returned (no stock: the core is the old part), with the credit the
    vendor owes noted on the order. At most what was received (and not returned yet)."""
    order = _locked_order(line.purchase_order)
    line = PurchaseOrderLine.objects.select_related("part").get(pk=line.pk)
    if kind not in VendorCredit.Kind.values:
        raise ServiceError("Choose a return or a core.", field="kind")
    number = _positive_quantity(quantity, "The quantity returned")
    already = sum((c.quantity for c in VendorCredit.objects.filter(line=line, kind=kind)), ZERO)
    if number > line.quantity_received - already:
        left = max(line.quantity_received - already, ZERO)
        what = "returned" if kind == VendorCredit.Kind.RETURN else "sent back as cores"
        raise ServiceError(
            f"Only {left.normalize():f} of {line.part.number} received on PO #{order.pk} can "
            f"still be {what}.",
            field="quantity",
        )
    credit = decimal_read(unit_credit, "The credit", "unit_credit", optional=True)
    if credit is None:
        credit = line.unit_cost if kind == VendorCredit.Kind.RETURN else line.part.core_charge
    movement = None
    if kind == VendorCredit.Kind.RETURN and line.part.stocked:
        part = _locked(line.part)
        movement = StockMovement.objects.create(
            part=part,
            kind=StockMovement.Kind.TO_VENDOR,
            quantity=-number,
            unit_cost=line.unit_cost,
            reason=(f"PO #{order.pk} to {order.vendor}: " + " ".join((reason or "").split()))[:200],
            by=by,
            at=timezone.now(),
        )
    return VendorCredit.objects.create(
        purchase_order=order,
        line=line,
        kind=kind,
        quantity=number,
        unit_credit=credit,
        amount=(number * credit).quantize(Decimal("0.01")),
        reason=" ".join((reason or "").split())[:200],
        movement=movement,
        by=by,
        at=timezone.now(),
    )

"""Purchase orders: from the reorder suggestions (grouped by vendor) and from a repair
order's special-order parts, sent by e-mail with the PDF through the outbox, received in
full or in part (movements, average cost, over-receipt only when confirmed), returns and
cores; each bad input refused with nothing changed."""

from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from outbox.models import OutboundMessage
from parts import purchasing_selectors as selectors
from parts import services
from parts.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderReceipt,
    StockMovement,
    VendorCredit,
)
from parts.services.stock import on_hand
from shop.errors import ServiceError
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_parts(owner):
    """Two vendors; pads and rotors below their reorder point, a filter above it."""
    cheap = VendorFactory(name="Main Street Auto Parts", email="orders@msap.example")
    dear = VendorFactory(name="Dealer Parts", email="parts@dealer.example")
    pads = PartFactory(number="BP-D1210", reorder_point=Decimal("4"), reorder_quantity=Decimal("2"))
    rotor = PartFactory(number="RT-5511", description="Rotor", reorder_point=Decimal("2"),
                        reorder_quantity=Decimal("6"), cost=Decimal("60"))  # fmt: skip
    filt = PartFactory(number="OF-2215", description="Oil filter", reorder_point=Decimal("1"))
    VendorPartFactory(vendor=cheap, part=pads, vendor_number="WG-ZD1210", cost=Decimal("25.00"))
    VendorPartFactory(vendor=dear, part=pads, vendor_number="D-1210", cost=Decimal("31.00"))
    VendorPartFactory(vendor=dear, part=rotor, vendor_number="D-5511", cost=Decimal("58.00"))
    VendorPartFactory(vendor=cheap, part=filt, vendor_number="WG-2215", cost=Decimal("4.00"))
    services.stock_receive(by=owner, part=pads, quantity="1", unit_cost="28")
    services.stock_receive(by=owner, part=filt, quantity="5", unit_cost="4")
    return {"cheap": cheap, "dear": dear, "pads": pads, "rotor": rotor, "filter": filt}


def test_suggestions_group_parts_below_their_point_by_the_cheapest_vendor(low_parts):
    groups = selectors.reorder_suggestions()
    assert [g.vendor.name for g in groups] == ["Dealer Parts", "Main Street Auto Parts"]
    dealer, main = groups
    assert [(r.part.number, r.quantity, r.unit_cost) for r in main.rows] == [
        ("BP-D1210", Decimal("3"), Decimal("25.00"))  # 4 - 1 on hand; more than the reorder qty
    ]
    assert [(r.part.number, r.quantity) for r in dealer.rows] == [("RT-5511", Decimal("6"))]


def test_orders_from_suggestions_are_one_draft_per_vendor_and_count_as_on_order(low_parts, owner):
    pads, rotor = low_parts["pads"], low_parts["rotor"]
    orders = services.purchase_orders_from_suggestions(
        by=owner, quantities={pads.pk: "3", rotor.pk: "6"}
    )
    assert sorted(o.vendor.name for o in orders) == ["Dealer Parts", "Main Street Auto Parts"]
    assert all(o.status == "draft" for o in orders)
    line = PurchaseOrderLine.objects.get(part=pads)
    assert (line.vendor_number, line.unit_cost, line.quantity_ordered) == (
        "WG-ZD1210", Decimal("25.00"), Decimal("3"),
    )  # fmt: skip
    assert selectors.on_order([pads.pk, rotor.pk]) == {pads.pk: 3, rotor.pk: 6}
    # On order counts: nothing is suggested twice.
    assert selectors.reorder_suggestions() == []
    with pytest.raises(ServiceError, match=r"No longer below the reorder point.*BP-D1210"):
        services.purchase_orders_from_suggestions(by=owner, quantities={pads.pk: "3"})
    assert PurchaseOrder.objects.count() == 2


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({}, "Choose at least one part"),
        ("pads:-2", "cannot be negative"),
        ("pads:0", "must be more than zero"),
        ("pads:lots", "must be a number"),
        ("filter:2", "No longer below the reorder point.*OF-2215"),
    ],
)
def test_bad_suggestion_orders_write_nothing(low_parts, owner, quantities, message):
    if isinstance(quantities, str):
        name, value = quantities.split(":")
        quantities = {low_parts[name].pk: value}
    with pytest.raises(ServiceError, match=message):
        services.purchase_orders_from_suggestions(by=owner, quantities=quantities)
    assert not PurchaseOrder.objects.exists() and not PurchaseOrderLine.objects.exists()


def test_a_part_without_a_vendor_is_named(owner):
    part = PartFactory(number="WB-11", reorder_point=Decimal("2"))
    [group] = selectors.reorder_suggestions()
    assert group.vendor is None
    with pytest.raises(ServiceError, match=r"Give these parts a vendor first.*WB-11"):
        services.purchase_orders_from_suggestions(by=owner, quantities={part.pk: "2"})
    assert not PurchaseOrder.objects.exists()


def _sent(low_parts, owner, *, email=True, django_capture_on_commit_callbacks=None):
    pads = low_parts["pads"]
    [order] = services.purchase_orders_from_suggestions(by=owner, quantities={pads.pk: "4"})
    return services.purchase_order_send(by=owner, purchase_order=order, email=email)


def test_sending_emails_the_vendor_the_pdf_through_the_outbox(
    low_parts, owner, django_capture_on_commit_callbacks
):
    pads = low_parts["pads"]
    [order] = services.purchase_orders_from_suggestions(by=owner, quantities={pads.pk: "4"})
    with django_capture_on_commit_callbacks(execute=True):
        order = services.purchase_order_send(by=owner, purchase_order=order)
    assert (order.status, order.emailed_to) == ("sent", "orders@msap.example")
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.state) == ("email", "orders@msap.example", "sent")
    assert message.cause == order
    assert "4 × WG-ZD1210 Ceramic brake pads, front" in message.body
    [sent] = mail.outbox
    assert sent.subject == f"Purchase order #{order.pk}"
    [(name, content, mimetype)] = sent.attachments
    assert (name, mimetype) == (f"purchase-order-{order.pk}.pdf", "application/pdf")
    import io

    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "PURCHASE ORDER" in text.upper() and "WG-ZD1210" in text and "$100.00" in text
    # Sent once: a second send is refused, no second e-mail.
    with pytest.raises(ServiceError, match="not a draft"):
        services.purchase_order_send(by=owner, purchase_order=order)
    assert OutboundMessage.objects.count() == 1


def test_a_vendor_without_an_email_is_refused_but_may_be_marked_ordered(low_parts, owner):
    low_parts["cheap"].email = ""
    low_parts["cheap"].save()
    pads = low_parts["pads"]
    [order] = services.purchase_orders_from_suggestions(by=owner, quantities={pads.pk: "4"})
    with pytest.raises(ServiceError, match="has no e-mail address"):
        services.purchase_order_send(by=owner, purchase_order=order)
    order.refresh_from_db()
    assert order.status == "draft" and not OutboundMessage.objects.exists()
    order = services.purchase_order_send(by=owner, purchase_order=order, email=False)
    assert (
        order.status == "sent" and order.emailed_to == "" and not OutboundMessage.objects.exists()
    )


def test_receiving_in_part_then_in_full_moves_stock_and_the_average_cost(low_parts, owner):
    pads = low_parts["pads"]  # 1 on hand at 28.00
    order = _sent(low_parts, owner)
    line = order.lines.get()
    services.purchase_order_receive(by=owner, purchase_order=order, quantities={line.pk: "1"})
    order.refresh_from_db()
    line.refresh_from_db()
    pads.refresh_from_db()
    assert (order.status, line.quantity_received, on_hand(pads)) == ("partial", 1, 2)
    assert pads.average_cost == Decimal("26.50")  # (28 + 25) / 2
    assert selectors.on_order([pads.pk]) == {pads.pk: 3}
    services.purchase_order_receive(
        by=owner, purchase_order=order, quantities={line.pk: "3"}, costs={line.pk: "24.00"}
    )
    order.refresh_from_db()
    pads.refresh_from_db()
    assert order.status == "received" and on_hand(pads) == 5
    assert pads.average_cost == Decimal("25.00")  # (2 × 26.50 + 3 × 24.00) / 5 = 125 / 5
    receipts = list(PurchaseOrderReceipt.objects.order_by("id"))
    assert [(r.quantity, r.unit_cost, r.movement.kind) for r in receipts] == [
        (1, Decimal("25.00"), "received"),
        (3, Decimal("24.00"), "received"),
    ]
    assert receipts[0].movement.reason == f"PO #{order.pk} from Main Street Auto Parts"
    assert selectors.on_order([pads.pk]) == {}


def _state(order):
    order.refresh_from_db()
    return (
        order.status,
        list(order.lines.values_list("quantity_received", flat=True)),
        StockMovement.objects.count(),
        PurchaseOrderReceipt.objects.count(),
    )


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", "cannot be negative"),
        ("abc", "must be a number"),
        ("5", "More than was ordered: BP-D1210 \\(1 more than ordered\\)"),
        ("", "Type how many of at least one line arrived"),
    ],
)
def test_bad_receipts_change_nothing(low_parts, owner, quantity, message):
    order = _sent(low_parts, owner)
    line = order.lines.get()
    before = _state(order)
    with pytest.raises(ServiceError, match=message):
        services.purchase_order_receive(
            by=owner, purchase_order=order, quantities={line.pk: quantity}
        )
    assert _state(order) == before


def test_a_negative_cost_on_receipt_changes_nothing(low_parts, owner):
    order = _sent(low_parts, owner)
    line = order.lines.get()
    before = _state(order)
    with pytest.raises(ServiceError, match="cannot be negative"):
        services.purchase_order_receive(
            by=owner, purchase_order=order, quantities={line.pk: "1"}, costs={line.pk: "-3"}
        )
    assert _state(order) == before


def test_an_over_receipt_is_taken_when_confirmed_and_recorded(low_parts, owner):
    order = _sent(low_parts, owner)
    line = order.lines.get()
    services.purchase_order_receive(
        by=owner, purchase_order=order, quantities={line.pk: "5"}, confirm_over=True
    )
    receipt = PurchaseOrderReceipt.objects.get()
    assert (receipt.quantity, receipt.over_ordered) == (5, 1)
    assert "1 beyond the order, confirmed" in receipt.movement.reason
    order.refresh_from_db()
    assert order.status == "received" and on_hand(low_parts["pads"]) == 6


def test_a_cancelled_or_draft_order_receives_nothing(low_parts, owner):
    pads = low_parts["pads"]
    [order] = services.purchase_orders_from_suggestions(by=owner, quantities={pads.pk: "4"})
    line = order.lines.get()
    with pytest.raises(ServiceError, match="is a draft: send it"):
        services.purchase_order_receive(by=owner, purchase_order=order, quantities={line.pk: 1})
    services.purchase_order_cancel(by=owner, purchase_order=order)
    before = _state(order)
    with pytest.raises(ServiceError, match="was cancelled: nothing is received"):
        services.purchase_order_receive(by=owner, purchase_order=order, quantities={line.pk: 1})
    assert _state(order) == before == ("cancelled", [0], 2, 0)
    # Cancelled: no longer on order, so suggested again.
    assert selectors.on_order([pads.pk]) == {}
    assert selectors.reorder_suggestions([pads.pk])[0].rows[0].part == pads


def test_an_order_with_receipts_cannot_be_cancelled(low_parts, owner):
    order = _sent(low_parts, owner)
    services.purchase_order_receive(
        by=owner, purchase_order=order, quantities={order.lines.get().pk: "1"}
    )
    with pytest.raises(ServiceError, match="were received: it cannot be cancelled"):
        services.purchase_order_cancel(by=owner, purchase_order=order)
    order.refresh_from_db()
    assert order.status == "partial"


def test_draft_lines_are_edited_and_a_sent_orders_are_not(low_parts, owner):
    order = services.purchase_order_create(by=owner, vendor=low_parts["dear"])
    line = services.purchase_order_line_add(
        by=owner, purchase_order=order, part=low_parts["pads"], quantity="2"
    )
    assert (line.vendor_number, line.unit_cost) == ("D-1210", Decimal("31.00"))
    for bad, message in [("-1", "cannot be negative"), ("0", "more than zero")]:
        with pytest.raises(ServiceError, match=message):
            services.purchase_order_line_update(by=owner, line=line, quantity=bad, unit_cost="1")
    with pytest.raises(ServiceError, match="cannot be negative"):
        services.purchase_order_line_update(by=owner, line=line, quantity="1", unit_cost="-1")
    line.refresh_from_db()
    assert (line.quantity_ordered, line.unit_cost) == (2, Decimal("31.00"))
    services.purchase_order_line_update(by=owner, line=line, quantity="3", unit_cost="30")
    services.purchase_order_send(by=owner, purchase_order=order)
    with pytest.raises(ServiceError, match="only a draft's lines change"):
        services.purchase_order_line_update(by=owner, line=line, quantity="9", unit_cost="1")
    with pytest.raises(ServiceError, match="only a draft's lines change"):
        services.purchase_order_line_remove(by=owner, line=line)
    line.refresh_from_db()
    assert (line.quantity_ordered, line.unit_cost) == (3, Decimal("30.00"))


def test_an_empty_draft_is_not_sent(low_parts, owner):
    order = services.purchase_order_create(by=owner, vendor=low_parts["dear"])
    with pytest.raises(ServiceError, match="has no lines"):
        services.purchase_order_send(by=owner, purchase_order=order)


def test_returns_take_parts_off_the_shelf_and_cores_note_a_credit(low_parts, owner):
    pads = low_parts["pads"]
    pads.core_charge = Decimal("12.00")
    pads.save()
    order = _sent(low_parts, owner)
    line = order.lines.get()
    services.purchase_order_receive(by=owner, purchase_order=order, quantities={line.pk: "4"})
    credit = services.purchase_order_return(
        by=owner, line=line, kind="return", quantity="1", reason="Wrong size"
    )
    assert (credit.amount, credit.movement.kind, credit.movement.quantity) == (
        Decimal("25.00"), "to_vendor", -1,
    )  # fmt: skip
    assert on_hand(pads) == 4
    core = services.purchase_order_return(by=owner, line=line, kind="core", quantity="2")
    assert (core.amount, core.movement) == (Decimal("24.00"), None)
    assert on_hand(pads) == 4  # a core is the old part: no stock
    detail = selectors.purchase_order_detail(order.pk)
    assert detail.credit_total == Decimal("49.00")
    # At most what was received.
    with pytest.raises(ServiceError, match=r"Only 3 of BP-D1210 received on PO #\d+ can still"):
        services.purchase_order_return(by=owner, line=line, kind="return", quantity="4")
    with pytest.raises(ServiceError, match="cannot be negative"):
        services.purchase_order_return(by=owner, line=line, kind="core", quantity="-1")
    with pytest.raises(ServiceError, match="Choose a return or a core"):
        services.purchase_order_return(by=owner, line=line, kind="gift", quantity="1")
    assert VendorCredit.objects.count() == 2 and on_hand(pads) == 4


def test_special_order_parts_are_ordered_for_the_repair_order_and_mark_its_card(
    brake_job, advisor, owner, statuses, matrix
):
    caliper = PartFactory(number="CL-4410", description="Caliper, loaded", stocked=False)
    pads = PartFactory(number="BP-D1210")
    vendor = VendorFactory(name="Dealer Parts", email="parts@dealer.example")
    VendorPartFactory(vendor=vendor, part=caliper, vendor_number="D-4410", cost=Decimal("88"))
    services.part_line_add(by=advisor, job=brake_job, version=None, part=caliper, quantity="2")
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads)
    work_order = brake_job.work_order
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[6]
    )
    [row] = selectors.special_order_parts(work_order)
    assert (row.part_line.part, row.ordered) == (caliper, False)
    [order] = services.purchase_orders_from_work_order(by=advisor, work_order=work_order)
    line = order.lines.get()
    assert (order.work_order, line.work_order, line.quantity_ordered) == (work_order, work_order, 2)
    assert selectors.special_order_parts(work_order)[0].ordered
    with pytest.raises(ServiceError, match="no special-order part left to order"):
        services.purchase_orders_from_work_order(by=advisor, work_order=work_order)
    services.purchase_order_send(by=owner, purchase_order=order, email=False)
    assert selectors.work_orders_with_parts_arrived([work_order.pk]) == set()
    services.purchase_order_receive(by=owner, purchase_order=order, quantities={line.pk: "2"})
    assert selectors.work_orders_with_parts_arrived([work_order.pk]) == {work_order.pk}
    # A non-stock part never sits on the shelf: no movement, the receipt is kept.
    assert not StockMovement.objects.filter(part=caliper).exists()
    assert PurchaseOrderReceipt.objects.get().movement is None

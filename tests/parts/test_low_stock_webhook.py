"""part.low_stock: a sale that takes a stocked part below its reorder point sends the
webhook once per crossing, through the outbox, in the sale's transaction."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from integrations import services as integration_services
from outbox.models import Channel, OutboundMessage
from parts import events, services
from tests.integrations.factories import make_integration
from tests.parts.factories import PartFactory
from workorders import services as workorder_services
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def _subscribe(owner, events_wanted, name="Parts bot"):
    integration, _token = make_integration(by=owner, name=name)
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url="https://example.test/hook", events=events_wanted
    )


def _sell(part, quantity, *, advisor, customer_vehicle, statuses):
    """A new estimate with the part on it, billed out."""
    vehicle = customer_vehicle
    work_order = workorder_services.workorder_create(by=advisor, vehicle=vehicle)
    job = workorder_services.job_add(
        by=advisor, work_order=work_order, version=None, title="Brakes", category="Brakes"
    )
    services.part_line_add(by=advisor, job=job, version=None, part=part, quantity=quantity)
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[6]
    )
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[17]
    )
    return work_order


def _low_stock_deliveries():
    return list(
        OutboundMessage.objects.filter(channel=Channel.WEBHOOK, subject="part.low_stock").order_by(
            "pk"
        )
    )


def test_the_webhook_is_sent_once_per_crossing(
    owner, advisor, vehicle, statuses, shop_rates, matrix
):
    _subscribe(owner, ["part.low_stock"])
    _subscribe(owner, ["work_order.closed"], name="Accounting")  # not a low-stock subscriber
    pads = PartFactory(number="BP-D1210", reorder_point=Decimal("3"), reorder_quantity=4)
    services.stock_receive(by=owner, part=pads, quantity="4", unit_cost="28")
    sell = {"advisor": advisor, "customer_vehicle": vehicle, "statuses": statuses}

    _sell(pads, "1", **sell)  # 4 → 3: at the reorder point, not below it
    assert _low_stock_deliveries() == []

    crossing = _sell(pads, "1", **sell)  # 3 → 2: below
    [delivery] = _low_stock_deliveries()
    body = json.loads(delivery.body)
    assert body["event"] == "part.low_stock"
    assert body["data"] == {
        "id": pads.pk,
        "url": f"/api/v1/parts/{pads.pk}/",
        "number": "BP-D1210",
        "description": pads.description,
        "on_hand": "2.00",
        "reorder_point": "3.00",
        "reorder_quantity": "4.00",
        "work_order_id": crossing.pk,
    }
    assert delivery.to == "https://example.test/hook"

    _sell(pads, "1", **sell)  # 2 → 1: still below, no second delivery
    assert len(_low_stock_deliveries()) == 1

    services.stock_receive(by=owner, part=pads, quantity="5", unit_cost="28")  # back to 6
    assert len(_low_stock_deliveries()) == 1
    _sell(pads, "4", **sell)  # 6 → 2: a new crossing
    assert len(_low_stock_deliveries()) == 2


def test_non_stock_parts_and_parts_without_a_reorder_point_send_nothing(
    owner, advisor, vehicle, statuses, shop_rates, matrix
):
    _subscribe(owner, ["part.low_stock"])
    special = PartFactory(number="SO-1", stocked=False, reorder_point=Decimal("2"))
    loose = PartFactory(number="LS-1", reorder_point=Decimal("0"))
    services.stock_receive(by=owner, part=loose, quantity="1", unit_cost="1")
    sell = {"advisor": advisor, "customer_vehicle": vehicle, "statuses": statuses}
    _sell(special, "1", **sell)
    _sell(loose, "2", **sell)
    assert _low_stock_deliveries() == []


def test_the_event_names_the_part_and_the_sale(
    owner, advisor, vehicle, statuses, shop_rates, matrix
):
    heard = []

    def listener(sender, part, on_hand, work_order, by, **kwargs):
        heard.append((part.pk, on_hand, work_order.pk, by))

    events.part_low_stock.connect(listener, dispatch_uid="test.low_stock")
    try:
        pads = PartFactory(reorder_point=Decimal("1"))
        sale = _sell(
            pads, "1", advisor=advisor, customer_vehicle=vehicle, statuses=statuses
        )  # nothing on hand: 0 → -1 is not a crossing (it was already below)
        assert heard == []
        services.stock_receive(by=owner, part=pads, quantity="3", unit_cost="5")  # 2 on hand
        sale = _sell(pads, "2", advisor=advisor, customer_vehicle=vehicle, statuses=statuses)
        assert heard == [(pads.pk, Decimal("0.00"), sale.pk, advisor)]
    finally:
        events.part_low_stock.disconnect(dispatch_uid="test.low_stock")

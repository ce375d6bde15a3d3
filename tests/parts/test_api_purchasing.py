"""Purchase orders in the API: the list (status and vendor filters, a fixed number of
queries), the detail with its lines, receiving in full or in part and sending through the
same services and security functions as the purchase order's page; each refusal a 4xx with
the service's message and nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from integrations.models import Integration
from outbox.models import OutboundMessage
from parts import services
from parts.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, StockMovement
from parts.services.stock import on_hand
from shop.models import SecurityFunctionLevel
from tests.integrations.factories import bearer, make_integration
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _order(owner, vendor=None, *, lines=2, send=True):
    """A purchase order of `lines` parts (4 of each at $25.00, then $30.00…), sent by phone."""
    vendor = vendor or VendorFactory(email="orders@msap.example")
    order = services.purchase_order_create(by=owner, vendor=vendor)
    for i in range(lines):
        part = PartFactory(cost=Decimal("20.00"))
        VendorPartFactory(vendor=vendor, part=part, cost=Decimal("25.00") + 5 * i)
        services.purchase_order_line_add(by=owner, purchase_order=order, part=part, quantity="4")
    if send:
        services.purchase_order_send(by=owner, purchase_order=order, email=False)
    order.refresh_from_db()
    return order


def _snapshot():
    return (
        list(PurchaseOrder.objects.order_by("id").values_list("status", "sent_at", "emailed_to")),
        list(PurchaseOrderLine.objects.order_by("id").values_list("quantity_received", flat=True)),
        PurchaseOrderReceipt.objects.count(),
        StockMovement.objects.count(),
        OutboundMessage.objects.count(),
    )


def test_the_list_has_totals_in_a_fixed_number_of_queries(
    api, owner, django_assert_max_num_queries
):
    vendor = VendorFactory(name="Main Street Auto Parts")
    for _ in range(2):
        _order(owner, vendor)
    with django_assert_max_num_queries(6) as few:
        small = api.get(reverse("purchase-order-list"))
    queries = len(few)
    for _ in range(10):
        _order(owner, vendor, lines=3)
    with django_assert_max_num_queries(queries):
        big = api.get(reverse("purchase-order-list"))
    first = api.get(reverse("purchase-order-list"), {"page_size": 5}).json()
    with django_assert_max_num_queries(queries):  # a second page of the bigger list
        second = api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["results"][0]["id"] < first["results"][-1]["id"]
    assert small.status_code == big.status_code == 200
    assert len(small.json()["results"]) == 2 and len(big.json()["results"]) == 12
    newest = big.json()["results"][0]
    assert newest["id"] == PurchaseOrder.objects.order_by("-id").first().pk
    assert (newest["vendor_name"], newest["status"], newest["line_count"]) == (
        "Main Street Auto Parts", "sent", 3,
    )  # fmt: skip
    # 4 × 25 + 4 × 30 + 4 × 35
    assert (newest["ordered"], newest["received"], newest["total"]) == ("12.00", "0.00", "360.00")


def test_the_list_pages_with_a_cursor(api, owner):
    vendor = VendorFactory()
    made = [_order(owner, vendor, lines=1).pk for _ in range(3)]
    first = api.get(reverse("purchase-order-list"), {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == made[::-1][:2]
    second = api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == made[:1] and second["next"] is None


def test_the_list_filters_by_status_vendor_and_work_order(api, owner, estimate):
    main, dealer = VendorFactory(name="Main"), VendorFactory(name="Dealer")
    special = services.purchase_order_create(by=owner, vendor=dealer, work_order=estimate)
    sent = _order(owner, main)
    draft = _order(owner, main, send=False)
    elsewhere = _order(owner, dealer)
    cancelled = _order(owner, dealer, send=False)
    services.purchase_order_cancel(by=owner, purchase_order=cancelled)

    def ids(**params):
        response = api.get(reverse("purchase-order-list"), params)
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(status="draft") == sorted([draft.pk, special.pk])
    assert ids(work_order=estimate.pk) == [special.pk]
    assert ids(status="sent") == sorted([sent.pk, elsewhere.pk])
    assert ids(status="open") == sorted([sent.pk, draft.pk, elsewhere.pk, special.pk])
    assert ids(status="cancelled") == [cancelled.pk]
    assert ids(vendor=main.pk) == sorted([sent.pk, draft.pk])
    assert ids(vendor=dealer.pk, status="sent") == [elsewhere.pk]
    assert api.get(reverse("purchase-order-list"), {"status": "lost"}).status_code == 400
    assert api.get(reverse("purchase-order-list"), {"vendor": "abc"}).status_code == 400


def test_the_detail_has_its_lines(api, owner, django_assert_max_num_queries):
    order = _order(owner)
    first, second = order.lines.order_by("id")
    with django_assert_max_num_queries(10):
        response = api.get(reverse("purchase-order-detail", args=[order.pk]))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["total"], body["line_count"]) == ("sent", "220.00", 2)
    assert body["lines"][0] == {
        "id": first.pk,
        "part": first.part_id,
        "part_number": first.part.number,
        "vendor_number": first.vendor_number,
        "description": first.description,
        "quantity_ordered": "4.00",
        "quantity_received": "0.00",
        "outstanding": "4.00",
        "unit_cost": "25.00",
        "amount": "100.00",
        "work_order": None,
    }
    assert body["lines"][1]["unit_cost"] == "30.00" and body["lines"][1]["id"] == second.pk
    assert api.get(reverse("purchase-order-detail", args=[999999])).status_code == 404
    assert api.get(reverse("purchase-order-detail", args=["nope"])).status_code == 404


def test_receiving_in_part_then_in_full(api, owner):
    order = _order(owner)
    first, second = order.lines.order_by("id")
    url = reverse("purchase-order-receive", args=[order.pk])
    response = api.post(
        url, {"lines": [{"line": first.pk, "quantity": "1", "unit_cost": "23.00"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "partial" and body["received"] == "1.00"
    assert [line["quantity_received"] for line in body["lines"]] == ["1.00", "0.00"]
    assert on_hand(first.part) == Decimal("1")
    receipt = PurchaseOrderReceipt.objects.get()
    assert (receipt.quantity, receipt.unit_cost, receipt.by) == (Decimal("1"), Decimal("23"), owner)
    first.part.refresh_from_db()
    assert first.part.average_cost == Decimal("23.00")  # the only stock came at $23

    response = api.post(
        url,
        {
            "lines": [
                {"line": first.pk, "quantity": "3"},
                {"line": second.pk, "quantity": "4"},
                {"line": 999999, "quantity": "0"},  # 0: nothing for that line
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "received"
    assert on_hand(first.part) == Decimal("4") and on_hand(second.part) == Decimal("4")
    first.part.refresh_from_db()
    assert first.part.average_cost == Decimal("24.50")  # (1 × 23 + 3 × 25) / 4
    assert PurchaseOrder.objects.get().status == "received"


def test_over_receipt_is_refused_unless_confirmed(api, owner):
    order = _order(owner)
    line = order.lines.order_by("id").first()
    url = reverse("purchase-order-receive", args=[order.pk])
    before = _snapshot()
    response = api.post(url, {"lines": [{"line": line.pk, "quantity": "6"}]}, format="json")
    assert response.status_code == 400
    assert "More than was ordered" in response.json()["confirm_over"][0]
    assert "2 more than ordered" in response.json()["confirm_over"][0]
    assert _snapshot() == before
    response = api.post(
        url, {"lines": [{"line": line.pk, "quantity": "6"}], "confirm_over": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    receipt = PurchaseOrderReceipt.objects.get()
    assert (receipt.quantity, receipt.over_ordered) == (Decimal("6"), Decimal("2"))
    assert on_hand(line.part) == Decimal("6")


@pytest.mark.parametrize(
    ("send", "cancel", "message"),
    [(False, False, "is a draft"), (False, True, "was cancelled")],
)
def test_a_draft_or_cancelled_order_receives_nothing(api, owner, send, cancel, message):
    order = _order(owner, send=send)
    if cancel:
        services.purchase_order_cancel(by=owner, purchase_order=order)
    line = order.lines.order_by("id").first()
    before = _snapshot()
    response = api.post(
        reverse("purchase-order-receive", args=[order.pk]),
        {"lines": [{"line": line.pk, "quantity": "1"}]},
        format="json",
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ([], "lines", ""),
        ([{"line": "LINE", "quantity": "-1"}], "quantity", "cannot be negative"),
        ([{"line": "LINE", "quantity": "0"}], "quantity", "at least one line"),
        ([{"line": "LINE", "quantity": "abc"}], "lines", ""),
        ([{"line": "LINE", "quantity": "1e9"}], "lines", ""),
        ([{"line": "LINE", "quantity": "1", "unit_cost": "-5"}], "unit_cost", "negative"),
        ([{"line": "OTHER", "quantity": "1"}], "detail", "not on PO"),
        ([{"line": "LINE", "quantity": "1"}, {"line": "LINE", "quantity": "2"}], "lines", "once"),
    ],
)
def test_bad_receipts_are_refused_and_change_nothing(api, owner, lines, where, message):
    order = _order(owner)
    other = _order(owner, lines=1)
    ids = {"LINE": order.lines.first().pk, "OTHER": other.lines.first().pk}
    for row in lines:
        row["line"] = ids[row["line"]]
    before = _snapshot()
    response = api.post(
        reverse("purchase-order-receive", args=[order.pk]), {"lines": lines}, format="json"
    )
    assert response.status_code == 400
    assert where in response.json() and message in str(response.json()[where])
    assert _snapshot() == before


def test_sending_emails_the_vendor_through_the_outbox(api, owner):
    order = _order(owner, send=False)
    response = api.post(reverse("purchase-order-send", args=[order.pk]), {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["emailed_to"]) == ("sent", "orders@msap.example")
    message = OutboundMessage.objects.get()
    assert (message.to, message.subject) == ("orders@msap.example", f"Purchase order #{order.pk}")
    again = api.post(reverse("purchase-order-send", args=[order.pk]), {}, format="json")
    assert again.status_code == 400 and "not a draft" in again.json()["detail"]
    assert OutboundMessage.objects.count() == 1


def test_marking_ordered_sends_no_email(api, owner):
    order = _order(owner, send=False)
    response = api.post(
        reverse("purchase-order-send", args=[order.pk]), {"email": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "sent"
    assert response.json()["emailed_to"] == ""
    assert not OutboundMessage.objects.exists()


def test_a_vendor_without_email_or_an_empty_order_is_not_sent(api, owner):
    no_email = _order(owner, VendorFactory(email=""), send=False)
    empty = _order(owner, lines=0, send=False)
    before = _snapshot()
    response = api.post(reverse("purchase-order-send", args=[no_email.pk]), {}, format="json")
    assert response.status_code == 400 and "no e-mail address" in response.json()["detail"]
    response = api.post(reverse("purchase-order-send", args=[empty.pk]), {}, format="json")
    assert response.status_code == 400 and "no lines" in response.json()["detail"]
    response = api.post(
        reverse("purchase-order-send", args=[empty.pk]), {"email": "perhaps"}, format="json"
    )
    assert response.status_code == 400 and "email" in response.json()
    assert _snapshot() == before


def test_a_user_below_the_functions_is_refused(owner, employee_at):
    order = _order(owner)
    draft = _order(owner, send=False)
    line = order.lines.first()
    client = APIClient()
    client.force_authenticate(employee_at(4))  # views parts; neither orders nor receives
    before = _snapshot()
    assert client.get(reverse("purchase-order-list")).status_code == 403
    refused = client.get(reverse("purchase-order-detail", args=[order.pk]))
    assert refused.status_code == 403 and "Purchase orders" in refused.json()["detail"]
    refused = client.post(
        reverse("purchase-order-receive", args=[order.pk]),
        {"lines": [{"line": line.pk, "quantity": "1"}]},
        format="json",
    )
    assert refused.status_code == 403 and "Receive and count parts" in refused.json()["detail"]
    refused = client.post(reverse("purchase-order-send", args=[draft.pk]), {}, format="json")
    assert refused.status_code == 403 and "Purchase orders" in refused.json()["detail"]
    assert _snapshot() == before


def test_receiving_alone_opens_the_order_but_not_the_list(owner, employee_at):
    # The owner keeps ordering to level 2; level 3 still receives.
    SecurityFunctionLevel.objects.update_or_create(code="order_parts", defaults={"level": 2})
    order = _order(owner)
    receiver = APIClient()
    receiver.force_authenticate(employee_at(3))
    assert receiver.get(reverse("purchase-order-list")).status_code == 403
    assert receiver.get(reverse("purchase-order-detail", args=[order.pk])).status_code == 200
    response = receiver.post(
        reverse("purchase-order-receive", args=[order.pk]),
        {"lines": [{"line": order.lines.first().pk, "quantity": "4"}]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "partial"


def test_a_read_only_token_reads_but_may_not_write(owner):
    order = _order(owner)
    draft = _order(owner, send=False)
    _integration, token = make_integration(
        by=owner, access=Integration.Access.READ, security_level=1
    )
    client = APIClient()
    assert client.get(reverse("purchase-order-list"), **bearer(token)).status_code == 200
    detail = client.get(reverse("purchase-order-detail", args=[order.pk]), **bearer(token))
    assert detail.status_code == 200 and len(detail.json()["lines"]) == 2
    before = _snapshot()
    response = client.post(
        reverse("purchase-order-receive", args=[order.pk]),
        {"lines": [{"line": order.lines.first().pk, "quantity": "1"}]},
        format="json",
        **bearer(token),
    )
    assert response.status_code == 403
    response = client.post(
        reverse("purchase-order-send", args=[draft.pk]), {}, format="json", **bearer(token)
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_a_read_write_token_at_the_level_receives(owner):
    order = _order(owner)
    _integration, token = make_integration(by=owner, security_level=3)
    response = APIClient().post(
        reverse("purchase-order-receive", args=[order.pk]),
        {"lines": [{"line": order.lines.first().pk, "quantity": "4"}]},
        format="json",
        **bearer(token),
    )
    assert response.status_code == 200, response.json()
    assert on_hand(order.lines.first().part) == Decimal("4")

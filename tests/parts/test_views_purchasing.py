"""The purchase-order and count pages: an allowed and a refused employee, bad input shown
with its reason and nothing changed, fixed query counts on the lists, the PDFs, the parts
list's On order column and the board's "Parts arrived"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parts import services
from parts.models import CountSheet, PurchaseOrder, PurchaseOrderLine, StockMovement
from parts.services.stock import on_hand
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def low(owner):
    vendor = VendorFactory(name="Main Street Auto Parts", email="orders@msap.example")
    pads = PartFactory(number="BP-D1210", reorder_point=Decimal("4"), reorder_quantity=Decimal("2"))
    VendorPartFactory(vendor=vendor, part=pads, vendor_number="WG-ZD1210", cost=Decimal("25"))
    return {"vendor": vendor, "pads": pads}


def _order(low, owner, *, send=True):
    [order] = services.purchase_orders_from_suggestions(by=owner, quantities={low["pads"].pk: 4})
    if send:
        services.purchase_order_send(by=owner, purchase_order=order, email=False)
    return order


class TestSuggestions:
    def test_the_page_lists_them_and_makes_drafts(self, client, advisor, low):
        client.force_login(advisor)
        html = client.get(reverse("parts:po_suggestions")).content.decode()
        assert "Main Street Auto Parts" in html and "BP-D1210" in html
        assert f'name="qty_{low["pads"].pk}" value="4"' in html
        response = client.post(
            reverse("parts:po_suggestions"),
            {f"part_{low['pads'].pk}": "on", f"qty_{low['pads'].pk}": "6"},
        )
        order = PurchaseOrder.objects.get()
        assert response["Location"] == reverse("parts:purchase_order", args=[order.pk])
        assert order.lines.get().quantity_ordered == 6

    def test_a_bad_quantity_is_shown_and_nothing_made(self, client, advisor, low):
        client.force_login(advisor)
        response = client.post(
            reverse("parts:po_suggestions"),
            {f"part_{low['pads'].pk}": "on", f"qty_{low['pads'].pk}": "-6"},
        )
        assert response.status_code == 400
        assert "cannot be negative" in response.content.decode()
        assert not PurchaseOrder.objects.exists()

    def test_an_employee_below_the_level_is_refused(self, client, employee_at, low):
        client.force_login(employee_at(4))
        assert client.get(reverse("parts:po_suggestions")).status_code == 403
        response = client.post(
            reverse("parts:po_suggestions"),
            {f"part_{low['pads'].pk}": "on", f"qty_{low['pads'].pk}": "6"},
        )
        assert response.status_code == 403 and not PurchaseOrder.objects.exists()


class TestOrderPages:
    def test_the_list_has_a_fixed_number_of_queries(
        self, client, advisor, low, owner, django_assert_max_num_queries
    ):
        _order(low, owner)
        client.force_login(advisor)
        url = reverse("parts:purchase_orders")
        with django_assert_max_num_queries(20) as few:
            response = client.get(url, {"status": ""})
        assert "PO #" in response.content.decode()
        for _ in range(5):
            order = services.purchase_order_create(by=owner, vendor=low["vendor"])
            services.purchase_order_line_add(
                by=owner, purchase_order=order, part=low["pads"], quantity=1
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url, {"status": ""})
        assert response.content.decode().count('/">PO #') == 6

    def test_the_detail_page_and_its_pdf(self, client, advisor, low, owner):
        order = _order(low, owner)
        client.force_login(advisor)
        html = client.get(reverse("parts:purchase_order", args=[order.pk])).content.decode()
        assert "WG-ZD1210" in html and "Receive more than ordered" in html
        response = client.get(reverse("parts:po_pdf", args=[order.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_the_detail_page_refuses_a_technician(self, client, technician, low, owner):
        order = _order(low, owner)
        client.force_login(technician)
        assert client.get(reverse("parts:purchase_order", args=[order.pk])).status_code == 403
        assert client.get(reverse("parts:po_pdf", args=[order.pk])).status_code == 403

    def test_receiving_in_the_page(self, client, advisor, low, owner):
        order = _order(low, owner)
        line = order.lines.get()
        client.force_login(advisor)
        url = reverse("parts:po_action", args=[order.pk, "receive"])
        response = client.post(url, {f"receive_{line.pk}": "6"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "More than was ordered: BP-D1210 (2 more than ordered)" in html
        assert 'value="6"' in html  # what was typed stays
        assert on_hand(low["pads"]) == 0
        response = client.post(url, {f"receive_{line.pk}": "6", "confirm_over": "on"})
        assert response.status_code == 302
        order.refresh_from_db()
        assert order.status == "received" and on_hand(low["pads"]) == 6

    def test_receiving_a_cancelled_order_is_refused(self, client, advisor, low, owner):
        order = _order(low, owner)
        services.purchase_order_cancel(by=owner, purchase_order=order)
        client.force_login(advisor)
        response = client.post(
            reverse("parts:po_action", args=[order.pk, "receive"]),
            {f"receive_{order.lines.get().pk}": "1"},
        )
        assert response.status_code == 400
        assert "was cancelled: nothing is received" in response.content.decode()
        assert not StockMovement.objects.exists()

    def test_a_user_below_the_level_changes_nothing(self, client, employee_at, low, owner):
        order = _order(low, owner, send=False)
        line = order.lines.get()
        client.force_login(employee_at(4))
        for action, data in [
            ("send", {}),
            ("cancel", {}),
            ("line_update", {"line": line.pk, "quantity": "9", "unit_cost": "1"}),
            ("receive", {f"receive_{line.pk}": "1"}),
        ]:
            response = client.post(reverse("parts:po_action", args=[order.pk, action]), data)
            assert response.status_code == 403, action
        order.refresh_from_db()
        line.refresh_from_db()
        assert (order.status, line.quantity_ordered) == ("draft", 4)

    def test_draft_lines_are_added_changed_and_removed(self, client, advisor, low, owner):
        order = services.purchase_order_create(by=owner, vendor=low["vendor"])
        client.force_login(advisor)
        add = reverse("parts:po_action", args=[order.pk, "line_add"])
        response = client.post(add, {"part_number": "nope", "quantity": "1"})
        assert response.status_code == 400 and "No part # “nope”" in response.content.decode()
        response = client.post(add, {"part_number": "bp d1210", "quantity": "-1"})
        assert response.status_code == 400 and "cannot be negative" in response.content.decode()
        assert not PurchaseOrderLine.objects.exists()
        client.post(add, {"part_number": "bp d1210", "quantity": "2"})
        line = PurchaseOrderLine.objects.get()
        assert (line.quantity_ordered, line.unit_cost) == (2, Decimal("25.00"))
        client.post(
            reverse("parts:po_action", args=[order.pk, "line_update"]),
            {"line": line.pk, "quantity": "3", "unit_cost": "24.50"},
        )
        line.refresh_from_db()
        assert (line.quantity_ordered, line.unit_cost) == (3, Decimal("24.50"))
        client.post(reverse("parts:po_action", args=[order.pk, "line_remove"]), {"line": line.pk})
        assert not PurchaseOrderLine.objects.exists()

    def test_an_unknown_action_is_404(self, client, advisor, low, owner):
        order = _order(low, owner)
        client.force_login(advisor)
        assert client.post(reverse("parts:po_action", args=[order.pk, "burn"])).status_code == 404


def test_the_parts_list_shows_what_is_on_order(client, advisor, low, owner):
    _order(low, owner)
    client.force_login(advisor)
    html = client.get(reverse("parts:list")).content.decode()
    assert "On order" in html and '<td data-label="On order" class="num">4</td>' in html


def test_the_board_marks_a_repair_order_whose_parts_arrived(
    client, brake_job, advisor, owner, statuses, matrix
):
    caliper = PartFactory(number="CL-4410", stocked=False)
    VendorPartFactory(part=caliper, vendor__email="parts@dealer.example")
    services.part_line_add(by=advisor, job=brake_job, version=None, part=caliper)
    work_order = brake_job.work_order
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[6]
    )
    client.force_login(advisor)
    response = client.post(reverse("parts:work_order_orders", args=[work_order.pk]))
    assert response.status_code == 302
    order = PurchaseOrder.objects.get(work_order=work_order)
    board = client.get(reverse("workorders:board")).content.decode()
    assert f'data-testid="parts-arrived-{work_order.pk}"' not in board
    services.purchase_order_send(by=owner, purchase_order=order, email=False)
    services.purchase_order_receive(
        by=owner, purchase_order=order, quantities={order.lines.get().pk: 1}
    )
    board = client.get(reverse("workorders:board")).content.decode()
    assert f'data-testid="parts-arrived-{work_order.pk}"' in board
    assert reverse("parts:work_order_orders", args=[work_order.pk]) in board
    # Nothing left to order: said so, nothing made.
    response = client.post(reverse("parts:work_order_orders", args=[work_order.pk]))
    assert response.status_code == 400 and "no special-order part left" in response.content.decode()
    assert PurchaseOrder.objects.count() == 1


class TestCountPages:
    def test_a_sheet_is_made_printed_and_posted(self, client, advisor, owner):
        pads = PartFactory(number="BP-D1210", bin_location="A1")
        other = PartFactory(number="OF-2215", bin_location="B1")
        services.stock_receive(by=owner, part=pads, quantity="4", unit_cost="10")
        client.force_login(advisor)
        response = client.post(reverse("parts:count_sheets"), {"by_what": "bin", "value": "A"})
        sheet = CountSheet.objects.get()
        assert response["Location"] == reverse("parts:count_sheet", args=[sheet.pk])
        pdf = client.get(reverse("parts:count_sheet_pdf", args=[sheet.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        url = reverse("parts:count_sheet", args=[sheet.pk])
        response = client.post(url, {f"count_{pads.pk}": "3", f"count_{other.pk}": "1"})
        assert response.status_code == 400
        assert "OF-2215 is not on count sheet" in response.content.decode()
        response = client.post(
            url, {f"count_{pads.pk}": "3", "extra_number": "OF-2215", "extra_count": "1"}
        )
        assert response.status_code == 400
        assert "OF-2215 is not on this sheet" in response.content.decode()
        assert on_hand(pads) == 4 and on_hand(other) == 0
        response = client.post(url, {f"count_{pads.pk}": "3"})
        assert response.status_code == 302 and on_hand(pads) == 3

    def test_a_bad_sheet_is_explained(self, client, advisor):
        client.force_login(advisor)
        response = client.post(reverse("parts:count_sheets"), {"by_what": "bin", "value": "Q"})
        assert (
            response.status_code == 400 and "No stocked part is in Q" in response.content.decode()
        )

    def test_an_employee_below_the_level_is_refused(self, client, employee_at, owner):
        pads = PartFactory(bin_location="A1")
        sheet = services.count_sheet_create(by=owner, by_what="bin", value="A")
        client.force_login(employee_at(4))
        assert client.get(reverse("parts:count_sheets")).status_code == 403
        response = client.post(
            reverse("parts:count_sheet", args=[sheet.pk]), {f"count_{pads.pk}": "3"}
        )
        assert response.status_code == 403 and not StockMovement.objects.exists()

    def test_the_list_has_a_fixed_number_of_queries(
        self, client, advisor, owner, django_assert_max_num_queries
    ):
        PartFactory(bin_location="A1")
        services.count_sheet_create(by=owner, by_what="bin", value="A")
        client.force_login(advisor)
        with django_assert_max_num_queries(20) as few:
            client.get(reverse("parts:count_sheets"))
        for _ in range(5):
            services.count_sheet_create(by=owner, by_what="bin", value="A")
        with django_assert_max_num_queries(len(few.captured_queries)):
            html = client.get(reverse("parts:count_sheets")).content.decode()
        assert html.count("Sheet #") == 6


def test_the_editor_links_a_special_order_part_to_its_orders(client, brake_job, advisor, matrix):
    caliper = PartFactory(number="CL-4410", stocked=False)
    pads = PartFactory(number="BP-D1210")
    services.part_line_add(by=advisor, job=brake_job, version=None, part=caliper)
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads)
    client.force_login(advisor)
    html = client.get(reverse("workorders:editor", args=[brake_job.work_order_id])).content.decode()
    link = reverse("parts:work_order_orders", args=[brake_job.work_order_id])
    assert html.count(f'href="{link}"') == 1  # the caliper, not the stocked pads
    assert "special order</a>" in html


def test_the_detail_and_suggestions_pages_have_a_fixed_number_of_queries(
    client, advisor, owner, low, django_assert_max_num_queries
):
    def more_parts(n, prefix):
        for i in range(n):
            part = PartFactory(number=f"{prefix}-{i}", reorder_point=Decimal("2"))
            VendorPartFactory(vendor=low["vendor"], part=part)

    order = services.purchase_order_create(by=owner, vendor=low["vendor"])
    services.purchase_order_line_add(by=owner, purchase_order=order, part=low["pads"], quantity=1)
    client.force_login(advisor)
    detail = reverse("parts:purchase_order", args=[order.pk])
    suggestions = reverse("parts:po_suggestions")
    with django_assert_max_num_queries(25) as few_detail:
        client.get(detail)
    with django_assert_max_num_queries(25) as few_suggestions:
        client.get(suggestions)
    more_parts(6, "FX")
    for part in PartFactory._meta.model.objects.exclude(pk=low["pads"].pk):
        services.purchase_order_line_add(by=owner, purchase_order=order, part=part, quantity=1)
    more_parts(6, "GX")
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        html = client.get(detail).content.decode()
    assert html.count('data-testid="po-line-') == 7
    with django_assert_max_num_queries(len(few_suggestions.captured_queries)):
        html = client.get(suggestions).content.decode()
    # All 13 are still short with the 1 each on order: the pads, the 6 ordered, the 6 not.
    assert html.count('name="qty_') == 13

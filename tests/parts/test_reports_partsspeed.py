"""The parts reports (inventory valuation, low stock and reorder, parts sales and margin,
dead stock) on a small known catalog: their figures, CSV and PDF, bad filters refused,
the security function, and a fixed number of queries whatever the rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parts import inventory_reports, services
from parts.models import StockMovement
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory
from tests.parts.test_services_stock import _bill_out
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db

D = Decimal


def _sold_long_ago(part, *, days: int, quantity: str = "1") -> None:
    """A sale in the past (movements are written once, so the past is written as such)."""
    StockMovement.objects.create(
        part=part,
        kind=StockMovement.Kind.SOLD,
        quantity=-D(quantity),
        unit_cost=part.average_cost,
        at=timezone.now() - timedelta(days=days),
    )


@pytest.fixture
def shop(owner, advisor, brake_job, statuses, matrix):
    """Pads (Brakes, $28) and an oil filter ($4) received and sold on an invoice billed out
    today; wipers ($6) adjusted below zero; rotors ($31) received and never sold; a
    caliper sold 400 days ago and a bulb 60 days ago; a labor item (no stock)."""
    pads = PartFactory(number="BP-D1210", cost=D("28.00"))
    oil = PartFactory(number="OF-2215", description="Oil filter", category="Maintenance",
                      cost=D("4.00"))  # fmt: skip
    wipers = PartFactory(number="WB-22", description="Wiper blade", category="Maintenance",
                         cost=D("6.00"))  # fmt: skip
    rotors = PartFactory(number="RT-5521", description="Brake rotor", cost=D("31.00"))
    caliper = PartFactory(number="CAL-20", description="Caliper", cost=D("42.00"))
    bulb = PartFactory(number="BL-H11", description="Bulb", category="Electrical",
                       cost=D("9.00"))  # fmt: skip
    PartFactory(number="LABOR", description="Labor", kind="labor", category="", stocked=False)
    services.stock_receive(by=owner, part=pads, quantity="3", unit_cost="28")
    services.stock_receive(by=owner, part=oil, quantity="10", unit_cost="4")
    services.stock_adjust(by=owner, part=wipers, quantity="-2", reason="Broken in the box")
    services.stock_receive(by=owner, part=rotors, quantity="2", unit_cost="31")
    services.stock_receive(by=owner, part=caliper, quantity="5", unit_cost="42")
    _sold_long_ago(caliper, days=400)
    services.stock_receive(by=owner, part=bulb, quantity="3", unit_cost="9")
    _sold_long_ago(bulb, days=60)
    springfield = VendorFactory(name="Springfield Auto Parts")
    midwest = VendorFactory(name="Midwest Parts Warehouse")
    VendorPartFactory(vendor=springfield, part=pads, cost=D("27.50"))
    VendorPartFactory(vendor=midwest, part=pads, cost=D("29.00"))
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads, quantity="2")
    services.part_line_add(by=advisor, job=brake_job, version=None, part=oil, quantity="1")
    _bill_out(brake_job.work_order, advisor, statuses)
    return {"pads": pads, "oil": oil, "wipers": wipers, "rotors": rotors}


class TestInventoryValuation:
    def test_it_values_on_hand_at_average_cost_by_category(self, shop):
        report = inventory_reports.inventory_valuation()
        rows = {r.label: (r.parts, r.units, r.value) for r in report.categories}
        # Brakes: pads 1 × 28, rotors 2 × 31, caliper 4 × 42.
        assert rows["Brakes"] == (3, D("7"), D("258.00"))
        # Maintenance: oil 9 × 4, wipers -2 × 6 (below zero lowers the value).
        assert rows["Maintenance"] == (2, D("7"), D("24.00"))
        assert rows["Electrical"] == (1, D("2"), D("18.00"))
        assert set(rows) == {"Brakes", "Maintenance", "Electrical"}  # labor has no stock
        assert (report.total.parts, report.total.units, report.total.value) == (
            6,
            D("16"),
            D("300.00"),
        )
        assert [(p.number, p.on_hand) for p in report.negative] == [("WB-22", D("-2"))]

    def test_the_page_csv_and_pdf_show_the_same_figures(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        url = reverse("parts:report_valuation")
        html = client.get(url).content.decode()
        assert "Inventory valuation" in html and "$258.00" in html and "$300.00" in html
        assert "Negative on hand" in html and "WB-22" in html
        csv = client.get(url, {"export": "csv"})
        assert csv["Content-Type"].startswith("text/csv")
        lines = csv.content.decode().splitlines()
        assert lines[0] == "Category,Parts in stock,Units on hand,Value"
        assert "Brakes,3,7,258.00" in lines and "All categories,6,16,300.00" in lines
        assert "WB-22,Wiper blade,-2,6.00" in lines
        pdf = client.get(url, {"export": "pdf"})
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    def test_a_bad_export_is_refused(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        response = client.get(reverse("parts:report_valuation"), {"export": "xls"})
        assert response.status_code == 400
        assert "Export as csv or pdf." in response.content.decode()

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(3))
        assert client.get(reverse("parts:report_valuation")).status_code == 403

    def test_its_queries_do_not_grow_with_the_catalog(
        self, shop, client, employee_at, owner, django_assert_max_num_queries
    ):
        client.force_login(employee_at(2))
        url = reverse("parts:report_valuation")
        with django_assert_max_num_queries(50) as few:
            client.get(url)
        for index in range(12):
            part = PartFactory(number=f"SP-{index}", category=f"Cat {index % 4}")
            services.stock_adjust(by=owner, part=part, quantity="-1", reason="Lost")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert "SP-11" in response.content.decode()


class TestLowStock:
    def test_it_lists_parts_below_their_point_with_what_to_order(self, shop):
        report = inventory_reports.low_stock()
        rows = {p.number: (p.stock.on_hand, p.to_order, p.order_cost) for p in report.parts}
        # Pads: 1 on hand, point 2: order 4 (the reorder quantity) × 28.
        # Wipers: -2 on hand: 4 reach the point; bulb: 2 on hand is not below 2.
        assert rows == {"BP-D1210": (D("1"), D("4"), D("112.00")),
                        "WB-22": (D("-2"), D("4"), D("24.00"))}  # fmt: skip
        assert report.count == 2 and report.order_cost == D("136.00") and not report.limited

    def test_the_page_limits_the_rows_but_not_the_totals(self, shop, monkeypatch):
        report = inventory_reports.low_stock(limit=1)
        assert report.limited and len(report.parts) == 1
        assert report.count == 2 and report.order_cost == D("136.00")

    def test_a_category_filter_and_the_csv(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        url = reverse("parts:report_low_stock")
        html = client.get(url, {"category": "Brakes"}).content.decode()
        assert "BP-D1210" in html and "WB-22" not in html
        lines = client.get(url, {"export": "csv"}).content.decode().splitlines()
        assert lines[0].startswith("Part #,Description,Category,Bin,On hand,Committed")
        assert 'BP-D1210,"Ceramic brake pads, front",Brakes,A3,1,0,2,4,28.00,112.00' in lines

    def test_an_unknown_category_is_refused(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        response = client.get(reverse("parts:report_low_stock"), {"category": "Nope"})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()

    def test_its_queries_do_not_grow_with_the_rows(
        self, shop, client, employee_at, django_assert_max_num_queries
    ):
        client.force_login(employee_at(2))
        url = reverse("parts:report_low_stock")
        with django_assert_max_num_queries(50) as few:
            client.get(url)
        PartFactory.create_batch(8, reorder_point=D("3"))
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Ceramic brake pads") >= 9


class TestPartsSales:
    def test_it_adds_sales_cost_and_margin_by_category_and_vendor(self, shop):
        today = timezone.localdate()
        from reports.periods import period_for

        report = inventory_reports.parts_sales(period_for("month", today))
        rows = {r.label: (r.quantity, r.sales, r.cost, r.profit, r.margin)
                for r in report.by_category}  # fmt: skip
        # Pads: 2 × $56 (cost 28, markup 100%); oil filter: 1 × $10 (cost 4, markup 150%).
        assert rows == {
            "Brakes": (D("2"), D("112.00"), D("56.00"), D("56.00"), D("50.0")),
            "Maintenance": (D("1"), D("10.00"), D("4.00"), D("6.00"), D("60.0")),
        }
        vendors = {r.label: (r.sales, r.margin) for r in report.by_vendor}
        # The pads come from the cheaper of their two vendors.
        assert vendors == {
            "Springfield Auto Parts": (D("112.00"), D("50.0")),
            "(no vendor)": (D("10.00"), D("60.0")),
        }
        total = report.total
        assert (total.quantity, total.sales, total.cost, total.margin) == (
            D("3"),
            D("122.00"),
            D("60.00"),
            D("50.8"),
        )
        # Another period has none of it.
        last_year = inventory_reports.parts_sales(period_for("year", today.replace(year=2001)))
        assert last_year.by_category == [] and last_year.total.sales == 0

    def test_the_page_and_csv(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        url = reverse("parts:report_sales")
        html = client.get(url).content.decode()
        assert "By category" in html and "By vendor" in html and "$112.00" in html
        assert "50.8%" in html
        lines = client.get(url, {"export": "csv"}).content.decode().splitlines()
        assert lines[0] == "Category,Quantity,Sales,Cost,Gross profit,Margin %"
        assert "Brakes,2,112.00,56.00,56.00,50.0" in lines
        assert "Springfield Auto Parts,2,112.00,56.00,56.00,50.0" in lines

    def test_a_bad_period_is_refused(self, client, employee_at):
        client.force_login(employee_at(2))
        response = client.get(
            reverse("parts:report_sales"),
            {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"},
        )
        assert response.status_code == 400
        assert "The last day comes before the first day." in response.content.decode()

    def test_its_queries_do_not_grow_with_the_rows(
        self, shop, client, employee_at, advisor, statuses, django_assert_max_num_queries
    ):
        client.force_login(employee_at(2))
        url = reverse("parts:report_sales")
        with django_assert_max_num_queries(50) as few:
            client.get(url)
        work_order = workorder_services.workorder_create(
            by=advisor, vehicle=shop["pads"].part_lines.first().line.work_order.vehicle
        )
        job = workorder_services.job_add(
            by=advisor, work_order=work_order, version=None, title="More", category="Tires"
        )
        for index in range(5):
            part = PartFactory(number=f"TR-{index}", category=f"Tires {index}")
            services.part_line_add(by=advisor, job=job, version=None, part=part)
        _bill_out(work_order, advisor, statuses)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert "Tires 4" in response.content.decode()


class TestDeadStock:
    def test_it_lists_stock_without_a_sale_in_n_months(self, shop):
        report = inventory_reports.dead_stock(months=12)
        rows = {p.number: (p.on_hand, p.value, p.last_sold_on) for p in report.parts}
        long_ago = timezone.localdate(timezone.now() - timedelta(days=400))
        # Largest value first: the caliper (4 × 42), then the rotors (2 × 31, never sold).
        assert [p.number for p in report.parts] == ["CAL-20", "RT-5521"]
        assert rows["CAL-20"] == (D("4"), D("168.00"), long_ago)
        assert rows["RT-5521"] == (D("2"), D("62.00"), None)
        assert report.count == 2 and report.value == D("230.00")
        # One month: the bulb sold 60 days ago is dead too.
        assert [p.number for p in inventory_reports.dead_stock(months=1).parts] == [
            "CAL-20",
            "RT-5521",
            "BL-H11",
        ]

    def test_the_page_limits_the_rows_but_not_the_totals(self, shop):
        report = inventory_reports.dead_stock(months=12, limit=1)
        assert report.limited and [p.number for p in report.parts] == ["CAL-20"]
        assert report.count == 2 and report.value == D("230.00")

    def test_the_page_and_csv(self, shop, client, employee_at):
        client.force_login(employee_at(2))
        url = reverse("parts:report_dead_stock")
        html = client.get(url).content.decode()
        assert "RT-5521" in html and "Never" in html and "BP-D1210" not in html
        lines = client.get(url, {"months": "1", "export": "csv"}).content.decode().splitlines()
        assert lines[0] == "Part #,Description,Category,Bin,On hand,Average cost,Value,Last sold"
        assert "RT-5521,Brake rotor,Brakes,A3,2,31.00,62.00,never" in lines
        assert len(lines) == 4

    @pytest.mark.parametrize(
        ("months", "message"),
        [("0", "at least 1 month"), ("121", "at most 120"), ("x", "whole number")],
    )
    def test_bad_months_are_refused(self, client, employee_at, months, message):
        client.force_login(employee_at(2))
        response = client.get(reverse("parts:report_dead_stock"), {"months": months})
        assert response.status_code == 400 and message in response.content.decode()

    def test_its_queries_do_not_grow_with_the_rows(
        self, shop, client, employee_at, owner, django_assert_max_num_queries
    ):
        client.force_login(employee_at(2))
        url = reverse("parts:report_dead_stock")
        with django_assert_max_num_queries(50) as few:
            client.get(url)
        for index in range(8):
            part = PartFactory(number=f"DS-{index}")
            services.stock_receive(by=owner, part=part, quantity="1", unit_cost="5")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert "DS-7" in response.content.decode()


def test_the_reports_are_in_the_reports_menu(client, employee_at):
    client.force_login(employee_at(2))
    html = client.get(reverse("shop:menu")).content.decode()
    for name in ("report_valuation", "report_low_stock", "report_sales", "report_dead_stock"):
        assert reverse(f"parts:{name}") in html

"""The catalog exported as CSV (streamed, a fixed number of queries whatever its size) and
the bench catalog's seeding (the same parts as before, written in one go, with stock)."""

import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from parts import seeding, services
from parts.models import Part, StockMovement, number_key
from tests.parts.factories import PartFactory

pytestmark = pytest.mark.django_db


def _lines(response) -> list[str]:
    assert response.streaming
    return b"".join(response.streaming_content).decode().splitlines()


class TestCatalogExport:
    def test_it_streams_every_item_with_its_on_hand(self, client, employee_at, owner):
        pads = PartFactory(number="BP-D1210", cost=Decimal("28.00"), bin_location="B1-01")
        services.stock_receive(by=owner, part=pads, quantity="3", unit_cost="28")
        PartFactory(number="OF-2215", description="=HYPERLINK(1)", is_active=False,
                    stocked=False)  # fmt: skip
        PartFactory(number="LABOR", description="Labor", kind="labor", category="",
                    fixed_price=Decimal("139.00"), taxable=False)  # fmt: skip
        client.force_login(employee_at(4))
        response = client.get(reverse("parts:export"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="parts-catalog_' in response["Content-Disposition"]
        lines = _lines(response)
        assert lines[0].startswith("Part #,Description,Type,Category,Brand,Cost")
        assert lines[1:] == [
            'BP-D1210,"Ceramic brake pads, front",part,Brakes,Wagner,28.00,28.00,,,0.00,yes,'
            "yes,B1-01,2.00,4.00,3,yes",
            "LABOR,Labor,labor,,Wagner,28.00,28.00,,139.00,0.00,no,yes,A3,2.00,4.00,0,yes",
            # A description that starts like a formula is written as text; inactive: "no".
            "OF-2215,'=HYPERLINK(1),part,Brakes,Wagner,28.00,28.00,,,0.00,yes,no,A3,2.00,4.00,0,no",
        ]

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(5))
        assert client.get(reverse("parts:export")).status_code == 403

    def test_the_parts_list_links_to_it(self, client, employee_at):
        client.force_login(employee_at(4))
        html = client.get(reverse("parts:list")).content.decode()
        assert reverse("parts:export") in html and "Export catalog (CSV)" in html

    def test_its_queries_do_not_grow_with_the_catalog(
        self, client, employee_at, django_assert_max_num_queries
    ):
        PartFactory.create_batch(2)
        client.force_login(employee_at(4))
        url = reverse("parts:export")
        with django_assert_max_num_queries(20) as few:
            assert len(_lines(client.get(url))) == 3
        PartFactory.create_batch(30)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(_lines(client.get(url))) == 33


def _old_bench_parts(rng: random.Random, start: int, stop: int) -> list[tuple]:
    """The bench catalog as the ORM loop wrote it before (kept here to prove the content)."""
    categories = [family[0] for family in seeding.FAMILIES]
    prefixes = ["AC", "BS", "DN", "FM", "GT", "MG", "MO", "NG", "SK", "WX"]
    rows = []
    for index in range(start, stop):
        number = f"{rng.choice(prefixes)}-{index:06d}{rng.choice('ABCDEFGH')}"
        word = rng.choice(seeding.BENCH_WORDS)
        cost = Decimal(rng.randint(50, 40000)) / 100
        description = f"{word.capitalize()}, {rng.choice(seeding.BENCH_FITS)} {rng.randint(1, 99)}"
        category = rng.choice(categories)
        brand = rng.choice(["Wix", "Moog", "Gates", "Dorman", "Bosch", "Denso"])
        rows.append((number, description, category, brand, cost, index % 5 == 0))
    return rows


def test_seed_bench_writes_the_same_catalog_and_stock_once(monkeypatch):
    monkeypatch.setattr(seeding, "BENCH_PARTS", 600)
    seeding.seed_bench(io.StringIO(), rng=random.Random(7))
    demo = Part.objects.exclude(bin_location="").count() + Part.objects.exclude(kind="part").count()
    bench = list(
        Part.objects.filter(kind="part", bin_location="")
        .order_by("pk")
        .values_list("number", "description", "category", "brand", "cost", "stocked")
    )
    rng = random.Random(7)
    seeding.seed_demo(io.StringIO())  # nothing added the second time: the rng is untouched
    assert bench == _old_bench_parts(rng, demo, 600)
    assert Part.objects.count() == 600
    assert all(number_key(n) == k for n, k in Part.objects.values_list("number", "number_key"))
    stocked = Part.objects.filter(kind="part", bin_location="", stocked=True).count()
    receipts = StockMovement.objects.filter(reason=seeding.BENCH_STOCK_REASON)
    assert receipts.count() == stocked and stocked > 0
    assert StockMovement.objects.filter(reason="Counter sale (bench)").exists()
    before = StockMovement.objects.count()
    seeding.seed_bench(io.StringIO(), rng=random.Random(7))
    assert Part.objects.count() == 600 and StockMovement.objects.count() == before


def test_seed_bench_sells_the_invoices_part_lines_from_the_catalog_once(
    monkeypatch, statuses, shop_rates, advisor
):
    """The bench's invoices' part lines come from the catalog: each linked to a stocked
    part and sold off its shelf at the invoice's bill-out, once however often it runs."""
    from parts.models import PartLine
    from tests.payments.conftest import bill_out
    from tests.workorders.factories import VehicleFactory
    from workorders import services as workorder_services

    def typed_part_order():
        """A work order with one hand-typed part line (as the bench shop's are)."""
        wo = workorder_services.workorder_create(
            by=advisor, vehicle=VehicleFactory(), odometer_in=1000
        )
        job = workorder_services.job_add(
            by=advisor, work_order=wo, version=None, title="Wipers", category="Maintenance"
        )
        workorder_services.line_add(
            by=advisor, job=job, version=None, kind="part", description="Wiper blade",
            quantity="2", unit_price="12.50",
        )  # fmt: skip
        return wo

    monkeypatch.setattr(seeding, "BENCH_PARTS", 300)
    invoices = [bill_out(typed_part_order(), advisor) for _ in range(3)]
    open_order = typed_part_order()
    seeding.seed_bench(io.StringIO(), rng=random.Random(7))
    sales = StockMovement.objects.filter(reason=seeding.BENCH_SALE_REASON)
    sold_lines = PartLine.objects.filter(line__work_order__in=invoices)
    assert sales.count() == sold_lines.count() == 3
    assert set(sales.values_list("work_order_id", flat=True)) == {wo.pk for wo in invoices}
    for movement in sales:
        line = sold_lines.get(line__work_order_id=movement.work_order_id)
        assert movement.part_id == line.part_id and movement.quantity == -line.line.quantity
        assert line.part.stocked and movement.at == movement.work_order.closed_at
    assert not PartLine.objects.filter(line__work_order=open_order).exists()
    before = (StockMovement.objects.count(), PartLine.objects.count())
    seeding.seed_bench(io.StringIO(), rng=random.Random(7))
    assert (StockMovement.objects.count(), PartLine.objects.count()) == before

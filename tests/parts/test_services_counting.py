"""The physical count: a sheet by bin or category, counts posted together as `counted`
movements; a count for a part not on the sheet, a negative count, a second post: refused,
nothing posted."""

from decimal import Decimal

import pytest

from parts import services
from parts.models import CountSheet, StockMovement
from parts.services.stock import on_hand
from shop.errors import ServiceError
from tests.parts.factories import PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(owner):
    pads = PartFactory(number="BP-D1210", bin_location="A1", category="Brakes")
    shoes = PartFactory(number="BS-770", bin_location="A2", category="Brakes")
    filt = PartFactory(number="OF-2215", bin_location="B1", category="Maintenance")
    PartFactory(number="HW-88", bin_location="A1", stocked=False)  # non-stock: not counted
    for part, quantity in ((pads, "4"), (shoes, "2"), (filt, "10")):
        services.stock_receive(by=owner, part=part, quantity=quantity, unit_cost="10")
    return {"pads": pads, "shoes": shoes, "filter": filt}


def test_a_sheet_lists_the_stocked_parts_of_a_bin_or_a_category(shelf, owner):
    by_bin = services.count_sheet_create(by=owner, by_what="bin", value="a")
    assert [line.part.number for line in by_bin.lines.order_by("id")] == ["BP-D1210", "BS-770"]
    by_category = services.count_sheet_create(by=owner, by_what="category", value="maintenance")
    assert [line.part.number for line in by_category.lines.all()] == ["OF-2215"]


@pytest.mark.parametrize(
    ("by_what", "value", "message"),
    [
        ("bin", "", "Give the bin"),
        ("bin", "Z9", "No stocked part is in Z9"),
        ("shelf", "A", "Choose"),
    ],
)
def test_a_bad_sheet_is_refused(shelf, owner, by_what, value, message):
    with pytest.raises(ServiceError, match=message):
        services.count_sheet_create(by=owner, by_what=by_what, value=value)
    assert not CountSheet.objects.exists()


def test_posting_records_each_variance_in_one_go(shelf, owner):
    sheet = services.count_sheet_create(by=owner, by_what="bin", value="A")
    pads, shoes = shelf["pads"], shelf["shoes"]
    movements = services.count_sheet_post(
        by=owner, sheet=sheet, counts={str(pads.pk): "3", str(shoes.pk): "2"}
    )
    assert sorted((m.part.number, m.kind, m.quantity) for m in movements) == [
        ("BP-D1210", "counted", Decimal("-1")),
        ("BS-770", "counted", Decimal("0")),
    ]
    assert on_hand(pads) == 3 and on_hand(shoes) == 2
    sheet.refresh_from_db()
    assert sheet.posted_at is not None and sheet.posted_by == owner
    assert sheet.lines.get(part=pads).counted == 3
    with pytest.raises(ServiceError, match="was posted already"):
        services.count_sheet_post(by=owner, sheet=sheet, counts={pads.pk: "9"})
    assert on_hand(pads) == 3


def test_an_extra_count_of_a_part_on_the_sheet_is_posted(shelf, owner):
    sheet = services.count_sheet_create(by=owner, by_what="bin", value="A")
    services.count_sheet_post(by=owner, sheet=sheet, counts={}, extra={"bs 770": "5"})
    assert on_hand(shelf["shoes"]) == 5


def _counted():
    return StockMovement.objects.filter(kind="counted").count()


@pytest.mark.parametrize(
    ("counts", "extra", "message"),
    [
        (
            {"pads": "3", "filter": "9"},
            {},
            "OF-2215 is not on count sheet #\\d+: nothing was posted",
        ),
        ({"pads": "3"}, {"OF-2215": "9"}, "OF-2215 is not on this sheet.*bin A only"),
        ({"pads": "3"}, {"NOPE-1": "9"}, "NOPE-1 is not in the catalog"),
        ({"pads": "3", "shoes": "-1"}, {}, "The count of BS-770 cannot be negative"),
        ({"pads": "x"}, {}, "The count of BP-D1210 must be a number"),
        ({"pads": "", "shoes": " "}, {}, "Type at least one count"),
    ],
)
def test_bad_counts_post_nothing(shelf, owner, counts, extra, message):
    sheet = services.count_sheet_create(by=owner, by_what="bin", value="A")
    counts = {str(shelf[name].pk): value for name, value in counts.items()}
    with pytest.raises(ServiceError, match=message):
        services.count_sheet_post(by=owner, sheet=sheet, counts=counts, extra=extra)
    assert _counted() == 0 and on_hand(shelf["pads"]) == 4
    sheet.refresh_from_db()
    assert sheet.posted_at is None and not sheet.lines.filter(counted__isnull=False).exists()

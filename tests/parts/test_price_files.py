"""Vendor price files: upload (encoding, delimiter, headers), the columns saved per vendor,
the dry run (each bad row with its line, column and why) and the apply job (creates or
updates parts and the vendor's costs; nothing when bad rows are not skipped)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parts import services
from parts.models import Part, PriceFileMapping, PriceFileRun, VendorPart
from shop.errors import ServiceError
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory

pytestmark = pytest.mark.django_db

COLUMNS = {
    "vendor_number": "Item #",
    "description": "Description",
    "cost": "Net",
    "list_price": "List",
    "core_charge": "Core",
    "category": "Line",
    "brand": "Mfr",
}

# Windows-1252, semicolons (a French-Canadian Excel), accents, and bad rows: a negative cost
# (line 4), a missing number (line 5), a vendor number twice (line 7 repeats line 2), a
# byte Windows-1252 does not define (line 8) and a cost that is not a number (line 9).
GOOD_AND_BAD = (
    "Item #;Description;Net;List;Core;Line;Mfr\r\n"
    "WG-ZD1210;Plaquettes de frein céramique;28,50;61,99;;Freins;Wagner\r\n"
    "MO-15W20;Huile moteur 5 L « Süper »;24.10;39.99;;Entretien;Motul\r\n"
    "AC-41993;Démarreur reconditionné;-4.00;189.00;45.00;Électrique;ACDelco\r\n"
    ";Filtre à air;9.25;19.99;;Entretien;Fram\r\n"
    "BO-0242;Bougie d'allumage iridium;7.80;14.50;;Allumage;Bosch\r\n"
    "WG ZD1210;Plaquettes (doublon);27.00;60.00;;Freins;Wagner\r\n"
    "XX-1;Pièce \x81;1.00;2.00;;Divers;Acme\r\n"
    "XX-2;Joint;douze;2.00;;Divers;Acme\r\n"
)


def _cp1252(text: str) -> bytes:
    # \x81 is not a Windows-1252 character: written as its raw byte (a damaged file).
    return text.replace("\x81", "\udc81").encode("cp1252", errors="surrogateescape")


@pytest.fixture
def apply(owner, django_capture_on_commit_callbacks):
    """Start the apply job; it runs at commit (inline, as tasks do in the tests)."""

    def start(run, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            services.price_file_apply_start(by=owner, run_id=run.pk, **kwargs)
        run.refresh_from_db()
        return run

    return start


def _upload(owner, vendor, data: bytes, name="prices.csv", encoding=""):
    return services.price_file_upload(
        by=owner,
        vendor=vendor,
        upload=SimpleUploadedFile(name, data, content_type="text/csv"),
        encoding=encoding,
    )


def test_the_dry_run_lists_each_bad_row_with_its_line_column_and_why(owner):
    vendor = VendorFactory(name="Pièces Québec")
    run = _upload(owner, vendor, _cp1252(GOOD_AND_BAD.replace(",", ".")))
    assert (run.encoding, run.delimiter) == ("cp1252", ";")
    assert run.headers == ["Item #", "Description", "Net", "List", "Core", "Line", "Mfr"]
    run = services.price_file_check(by=owner, run_id=run.pk, columns=COLUMNS)
    assert (run.state, run.rows, run.bad_rows, run.file_error) == ("checked", 8, 5, "")
    assert run.problems == [
        [4, "Net", "negative cost (-4.00)"],
        [5, "Item #", "missing part number"],
        [7, "Item #", "duplicate part number: WG ZD1210 is also on line 2"],
        [8, "Description", "bad encoding: characters that are not Windows-1252 or UTF-8 text"],
        [9, "Net", "cost “douze” is not a number"],
    ]
    # The columns are kept for this vendor's next file; nothing else was written.
    assert PriceFileMapping.objects.get(vendor=vendor).columns == COLUMNS
    assert not Part.objects.exists() and not VendorPart.objects.exists()


@pytest.fixture(params=["one statement", "orm"])
def writes(request, monkeypatch):
    """The apply's two ways to write a batch: arrays on PostgreSQL, the ORM's bulk writes
    elsewhere (SQLite); both must write the same."""
    from parts.services import price_files

    if request.param == "orm":
        monkeypatch.setattr(price_files, "_fast_writes", lambda: False)
    return request.param


def test_bad_rows_stop_the_import_unless_skipped_then_the_rest_is_written(owner, apply, writes):
    vendor = VendorFactory()
    run = _upload(owner, vendor, _cp1252(GOOD_AND_BAD.replace(",", ".")))
    run = services.price_file_check(by=owner, run_id=run.pk, columns=COLUMNS)
    with pytest.raises(ServiceError, match=r"found 5 bad rows.*Nothing was written"):
        services.price_file_apply_start(by=owner, run_id=run.pk)
    assert PriceFileRun.objects.get(pk=run.pk).state == "checked"
    assert not Part.objects.exists()

    apply(run, skip_bad_rows=True)
    run.refresh_from_db()
    assert (run.state, run.total, run.done, run.percent) == ("done", 3, 3, 100)
    assert run.counts == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 5}
    pads = Part.objects.get(number_key="WGZD1210")
    assert pads.description == "Plaquettes de frein céramique"
    assert (pads.cost, pads.average_cost, pads.list_price) == (
        Decimal("28.50"),
        Decimal("28.50"),
        Decimal("61.99"),
    )
    assert (pads.category, pads.brand, pads.kind, pads.stocked) == (
        "Freins",
        "Wagner",
        "part",
        True,
    )
    oil = Part.objects.get(number="MO-15W20")
    assert oil.description == "Huile moteur 5 L « Süper »"
    link = VendorPart.objects.get(vendor=vendor, part=oil)
    assert (link.vendor_number, link.cost) == ("MO-15W20", Decimal("24.10"))
    assert set(Part.objects.values_list("number", flat=True)) == {
        "WG-ZD1210",
        "MO-15W20",
        "BO-0242",
    }


def test_a_second_file_updates_parts_and_costs_and_keeps_what_it_does_not_give(
    owner, apply, writes
):
    vendor = VendorFactory()
    pads = PartFactory(number="BP-D1210", cost=Decimal("20.00"), bin_location="A3",
                       list_price=Decimal("50.00"), core_charge=Decimal("0.00"))  # fmt: skip
    VendorPartFactory(vendor=vendor, part=pads, vendor_number="WG-ZD1210", cost=Decimal("20.00"))
    rotor = PartFactory(number="RT-555", description="Rotor", cost=Decimal("40.00"))
    same = PartFactory(number="SM-1", description="Same", cost=Decimal("5.00"), brand="Wagner",
                       category="Brakes")  # fmt: skip
    VendorPartFactory(vendor=vendor, part=same, vendor_number="SM-1", cost=Decimal("5.00"))
    data = (
        b"Part Number,Description,Cost,Core,Our part #,Brand,Category\n"
        b"wg-zd1210,Ceramic pads front,31.00,,,Wagner,Brakes\n"  # by the vendor's number
        b"RAY-555,Rotor vented,42.00,12.00,RT 555,Raybestos,Brakes\n"  # by our number: linked
        b"SM-1,Same,5.00,,,Wagner,Brakes\n"  # nothing changes
    )
    run = _upload(owner, vendor, data)
    assert run.encoding == "utf-8"
    columns = {
        "vendor_number": "Part Number",
        "description": "Description",
        "cost": "Cost",
        "core_charge": "Core",
        "part_number": "Our part #",
        "brand": "Brand",
        "category": "Category",
    }
    assert run.columns == columns  # guessed from the headers
    run = services.price_file_check(by=owner, run_id=run.pk, columns=columns)
    assert run.bad_rows == 0
    apply(run)
    assert run.counts == {"created": 0, "updated": 2, "unchanged": 1, "skipped": 0}
    pads.refresh_from_db()
    assert (pads.description, pads.cost, pads.list_price, pads.bin_location) == (
        "Ceramic pads front",
        Decimal("31.00"),
        Decimal("50.00"),  # no list price column: kept
        "A3",
    )
    assert VendorPart.objects.get(part=pads).cost == Decimal("31.00")
    rotor.refresh_from_db()
    assert (rotor.cost, rotor.core_charge, rotor.brand) == (
        Decimal("42.00"),
        Decimal("12.00"),
        "Raybestos",
    )
    assert VendorPart.objects.get(part=rotor, vendor=vendor).vendor_number == "RAY-555"
    assert Part.objects.count() == 3


def test_the_vendors_saved_columns_come_back_for_its_next_file(owner):
    vendor = VendorFactory()
    data = b"Item #,Description,Net\nA-1,Thing,1.00\n"
    run = _upload(owner, vendor, data)
    assert run.columns == {"vendor_number": "Item #", "description": "Description", "cost": "Net"}
    services.price_file_check(
        by=owner,
        run_id=run.pk,
        columns={
            "vendor_number": "Description",
            "description": "Item #",
            "cost": "Net",
        },
    )
    again = _upload(owner, vendor, data)
    assert again.columns == {"vendor_number": "Description", "description": "Item #", "cost": "Net"}


@pytest.mark.parametrize(
    ("data", "name", "encoding", "message"),
    [
        (b"", "prices.csv", "", "Choose the vendor's price file"),
        (b"PK\x03\x04\x00\x00", "prices.xlsx", "", "Save the price file as CSV"),
        (b"Item,Desc\x00", "prices.csv", "", "not text"),
        ("Item,Description,Cost\nA-1,Pièce,1\n".encode("cp1252"), "p.csv", "utf-8",
         "not UTF-8 text \\(line 2"),
        (b"Item,Item,Cost\n", "prices.csv", "", "same header"),
        (b"\n\n", "prices.csv", "", "empty"),
        (b"a,b\n", "prices.csv", "latin-9", "Choose UTF-8"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_nothing_is_kept(owner, data, name, encoding, message):
    vendor = VendorFactory()
    with pytest.raises(ServiceError, match=message):
        _upload(owner, vendor, data, name=name, encoding=encoding)
    assert not PriceFileRun.objects.exists()


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"vendor_number": "Item #", "description": "Description"}, "for Cost: it is needed"),
        ({"vendor_number": "Item #", "description": "Item #", "cost": "Net"}, "both"),
        ({"vendor_number": "Item #", "description": "Description", "cost": "Price"}, "no column"),
        ({"vendor_number": "Item #", "description": "Description", "cost": "Net", "x": "Net"},
         "Unknown fields"),
    ],
)  # fmt: skip
def test_missing_or_wrong_columns_are_refused_and_nothing_changes(owner, columns, message):
    vendor = VendorFactory()
    run = _upload(owner, vendor, b"Item #,Description,Net\nA-1,Thing,1.00\n")
    with pytest.raises(ServiceError, match=message):
        services.price_file_check(by=owner, run_id=run.pk, columns=columns)
    run.refresh_from_db()
    assert run.state == "uploaded" and run.rows == 0
    assert not PriceFileMapping.objects.exists()


def test_apply_needs_a_dry_run_and_runs_once(owner, apply):
    vendor = VendorFactory()
    run = _upload(owner, vendor, b"Item #,Description,Net\nA-1,Thing,1.00\n")
    with pytest.raises(ServiceError, match="dry run first"):
        services.price_file_apply_start(by=owner, run_id=run.pk)
    services.price_file_check(by=owner, run_id=run.pk, columns=run.columns)
    apply(run)
    with pytest.raises(ServiceError, match="imported: it cannot be started again"):
        services.price_file_apply_start(by=owner, run_id=run.pk)
    assert Part.objects.count() == 1


def test_a_stopped_job_resumes_after_the_last_batch_written(owner, apply, monkeypatch):
    from parts.services import price_files

    monkeypatch.setattr(price_files, "BATCH_ROWS", 2)
    vendor = VendorFactory()
    lines = "".join(f"N-{i},Part {i},{i}.00\n" for i in range(1, 6))
    run = _upload(owner, vendor, ("Item #,Description,Net\n" + lines).encode())
    services.price_file_check(by=owner, run_id=run.pk, columns=run.columns)
    real = price_files._batch_write
    calls = []

    def failing_second(run, rows, counts):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(run, rows, counts)

    monkeypatch.setattr(price_files, "_batch_write", failing_second)
    apply(run)
    assert (run.state, run.done, run.position) == ("failed", 2, 3)
    assert "Start it again to resume" in run.error
    assert Part.objects.count() == 2  # the first batch stays written
    monkeypatch.setattr(price_files, "_batch_write", real)
    apply(run)
    assert (run.state, run.done, run.counts["created"]) == ("done", 5, 5)
    assert Part.objects.count() == 5


def test_a_job_that_stopped_moving_may_be_started_again(owner, apply):
    from datetime import timedelta

    from django.utils import timezone

    vendor = VendorFactory()
    run = _upload(owner, vendor, b"Item #,Description,Net\nA-1,Thing,1.00\n")
    services.price_file_check(by=owner, run_id=run.pk, columns=run.columns)
    PriceFileRun.objects.filter(pk=run.pk).update(state="running", heartbeat_at=timezone.now())
    with pytest.raises(ServiceError, match="importing: it cannot be started again"):
        services.price_file_apply_start(by=owner, run_id=run.pk)
    stale = timezone.now() - timedelta(minutes=6)
    PriceFileRun.objects.filter(pk=run.pk).update(heartbeat_at=stale)
    run = apply(run)
    assert run.state == "done" and Part.objects.count() == 1

"""The description words the search finds stay in step with every way a part is written:
the catalog's services, a vendor's price file (arrays on PostgreSQL, the ORM elsewhere),
parts brought in by an import and the bench seed's COPY. On PostgreSQL the words are a GIN
index of the search text (migration 0006), kept by the database on every write."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from parts import selectors, services
from parts.imported import imported_parts_write
from parts.models import Part
from tests.parts.factories import PartFactory, VendorFactory

pytestmark = pytest.mark.django_db


def _numbers(text: str) -> list[str]:
    return [part.number for part in selectors.part_search(text)]


def test_a_changed_description_is_found_by_its_new_words_only(owner):
    part = services.part_create(by=owner, number="HX-100", description="Heater hose", cost="9")
    assert _numbers("heater ho") == ["HX-100"]
    services.part_update(by=owner, part=part, description="Radiator hose, upper", brand="Gates")
    assert _numbers("heater") == []
    assert _numbers("radiator upp") == ["HX-100"]
    assert _numbers("gates hose") == ["HX-100"]


def test_a_deleted_part_is_not_found(owner):
    PartFactory(number="KP-1", description="Kept hose")
    gone = PartFactory(number="GN-1", description="Gone hose")
    Part.objects.filter(pk=gone.pk).delete()
    assert _numbers("hose") == ["KP-1"]


@pytest.mark.parametrize("fast", [True, False], ids=["one statement", "orm"])
def test_parts_a_price_file_writes_are_found_by_their_words(
    owner, django_capture_on_commit_callbacks, monkeypatch, fast
):
    from parts.services import price_files

    monkeypatch.setattr(price_files, "_fast_writes", lambda: fast)
    PartFactory(number="WG-ZD1210", description="Old pads")
    vendor = VendorFactory()
    data = (
        "Item #;Our part #;Description;Net\r\n"
        "WG-ZD1210;WG-ZD1210;Plaquettes de frein céramique;28.50\r\n"
        "MO-15W20;;Huile moteur synthétique;24.10\r\n"
    ).encode("cp1252")
    run = services.price_file_upload(
        by=owner, vendor=vendor, upload=SimpleUploadedFile("prices.csv", data)
    )
    columns = {"vendor_number": "Item #", "part_number": "Our part #"}
    columns |= {"description": "Description", "cost": "Net"}
    services.price_file_check(by=owner, run_id=run.pk, columns=columns)
    with django_capture_on_commit_callbacks(execute=True):
        services.price_file_apply_start(by=owner, run_id=run.pk)
    assert Part.objects.get(number="WG-ZD1210").description == "Plaquettes de frein céramique"
    assert _numbers("plaquettes frein") == ["WG-ZD1210"]
    assert _numbers("old pads") == []
    assert _numbers("huile moteur") == ["MO-15W20"]


def test_parts_an_import_brings_in_are_found_by_their_words(owner):
    imported_parts_write(
        rows=[
            {"part_number": "TB-0042", "description": "Timing belt kit", "cost": None},
            {"part_number": "WP-7", "description": "Water pump, timing cover", "cost": None},
        ],
        source="old system",
        by=owner,
    )
    assert sorted(_numbers("timing")) == ["TB-0042", "WP-7"]
    assert _numbers("timing belt") == ["TB-0042"]


def test_the_bench_seeds_parts_are_found_by_their_words():
    from parts.seeding import BENCH_WORDS, _bench_copy, _bench_rows

    if connection.vendor != "postgresql":
        pytest.skip("the bench seed writes with PostgreSQL's COPY")
    rows = list(_bench_rows(random.Random(3), 0, 40))
    _bench_copy(iter(rows))
    word = rows[0][2].split(",")[0].lower()
    assert word in BENCH_WORDS

    def has_word(row) -> bool:
        text = " ".join([row[1], row[0], row[2], row[5]]).lower()  # key, number, description, brand
        return any(w.startswith(word) for w in selectors._text_words(text))

    expected = {row[0] for row in rows if has_word(row)}
    assert rows[0][0] in expected
    assert {part.number for part in selectors.part_search(word, limit=50)} == expected

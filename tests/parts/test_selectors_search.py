"""The parts search (the parts list and the editor's typeahead): part numbers exact and by
their start, with or without dashes and spaces, vendors' numbers, description words; on
PostgreSQL and on the embedded SQLite alike."""

from decimal import Decimal

import pytest
from django.db import connection

from parts import selectors
from tests.parts.factories import PartFactory, VendorPartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(matrix):
    return {
        "pads": PartFactory(number="BP-D1210", description="Ceramic brake pads, front"),
        "pads_long": PartFactory(number="BP-D12100", description="Semi-metallic brake pads"),
        "rotor": PartFactory(number="RT-5521", description="Brake rotor, rear", cost=Decimal("31")),
        "filter": PartFactory(
            number="OF 2215", description="Oil filter", category="Maintenance", brand="Wix"
        ),
        "old": PartFactory(number="BP-D1199", description="Old brake pads", is_active=False),
    }


def _numbers(text: str, **kwargs) -> list[str]:
    return [part.number for part in selectors.part_search(text, **kwargs)]


@pytest.mark.parametrize("typed", ["BP-D1210", "bpd1210", "bp d1210", "BP-D-1210", " bp-d1210 "])
def test_an_exact_number_comes_first_however_it_is_typed(catalog, typed):
    assert _numbers(typed)[:2] == ["BP-D1210", "BP-D12100"]


def test_the_start_of_a_number_finds_every_part_it_begins(catalog):
    assert _numbers("bp-d12") == ["BP-D1210", "BP-D12100"]
    assert _numbers("of22") == ["OF 2215"]


def test_a_vendors_number_finds_its_part(catalog):
    VendorPartFactory(part=catalog["rotor"], vendor_number="AC-18A1705")
    assert _numbers("18A1705") == []  # not the start of any number
    assert _numbers("ac18a17") == ["RT-5521"]


def test_description_words_in_any_order(catalog):
    assert _numbers("pads front") == ["BP-D1210"]
    assert sorted(_numbers("brake pads")) == ["BP-D1210", "BP-D12100"]
    assert _numbers("wix filter") == ["OF 2215"]


def test_inactive_parts_are_not_offered_unless_asked(catalog):
    assert "BP-D1199" not in _numbers("bp-d11")
    assert "BP-D1199" in _numbers("bp-d11", active_only=False)


def test_results_carry_on_hand_committed_and_the_matrix_price(catalog):
    [pads] = selectors.part_search("BP-D1210", limit=1)
    assert pads.stock.on_hand == 0 and pads.stock.committed == 0
    assert pads.price == Decimal("56.00")


def test_nothing_typed_finds_nothing(catalog):
    assert _numbers("") == [] and _numbers("  -  ") == []


def test_the_search_costs_the_same_few_queries_for_a_bigger_catalog(
    catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7) as few:
        selectors.part_search("brake")
    PartFactory.create_batch(30, description="Brake hardware kit")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.part_search("brake")) == 10


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word index is PostgreSQL's"
)


def test_a_word_finds_the_words_it_begins_whole_words_first(catalog):
    PartFactory(number="ST-9", description="Padding, seat")
    PartFactory(number="PK-7", description="Pad kit")
    found = _numbers("pad")
    assert found[0] == "PK-7"
    assert set(found) == {"PK-7", "ST-9", "BP-D1210", "BP-D12100"}
    assert _numbers("ceram pad fr") == ["BP-D1210"]


def test_a_word_is_found_with_or_without_its_dashes_and_commas(catalog):
    PartFactory(number="ZZ-1", description="Semi-metallic shoes, rear")
    assert sorted(_numbers("metallic")) == ["BP-D12100", "ZZ-1"]
    assert _numbers("semi-metallic shoes, re") == ["ZZ-1"]
    assert sorted(_numbers("bp-d pads")) == ["BP-D1210", "BP-D12100"]


@on_postgres  # SQLite, without the word index, looks for the text as typed
def test_a_word_typed_without_its_dashes_finds_it(catalog):
    PartFactory(number="MO-5", description="Engine oil 5W-30, 5 qt")
    assert _numbers("semimetallic") == ["BP-D12100"]
    assert _numbers("5w30 oil") == ["MO-5"]
    assert _numbers("bpd ceramic") == ["BP-D1210"]


@on_postgres  # SQLite's lower() knows only ASCII
def test_a_word_with_accents_is_one_word(catalog):
    PartFactory(number="EF-2", description="Étrier de frein, avant")
    assert _numbers("étrier") == ["EF-2"]
    assert _numbers("étr avant") == ["EF-2"]


@on_postgres
def test_a_word_inside_another_word_is_not_a_match(catalog):
    """On PostgreSQL words match by their start (the GIN index of the words); SQLite,
    without it, still finds any part of the text."""
    assert _numbers("rake") == []
    assert _numbers("eramic") == []
    assert _numbers("brake") != []


@on_postgres
def test_the_words_are_read_from_the_index_of_migration_0006(catalog):
    """The statement's expression of the words must be the index's, or the planner would
    cut the text of every part of the catalog."""
    statements = []

    def capture(execute, sql, params, many, context):
        if "parts_search_words" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert _numbers("ceramic fr") == ["BP-D1210"]
    [(sql, params)] = statements
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "part_search_words" in plan

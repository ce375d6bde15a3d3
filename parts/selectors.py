"""Reads of the catalog: the search behind the parts list and the editor's typeahead, stock
levels (on hand, committed), the pricing matrix and the vendors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Collate

from parts.models import Part, PartLine, PricingBand, StockMovement, Vendor, VendorPart, number_key
from parts.services.pricing import Band, part_price, part_prices
from workorders.models import Job, Package, Stage

ZERO = Decimal("0.00")
TYPEAHEAD_LIMIT = 10
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class PartsQuery:
    """What the one search box was given: a part # (compared without dashes and spaces,
    exact or the start of one, ours or a vendor's) and the words of a description."""

    text: str
    key: str
    words: list[str]

    @classmethod
    def parse(cls, raw: str | None) -> PartsQuery:
        text = " ".join((raw or "").split())[:100]
        words = [w for w in re.split(r"\s+", text.lower()) if len(w) >= 2][:5]
        return cls(text, number_key(text)[:40], words)

    def __bool__(self) -> bool:
        return bool(self.key or self.words)


# The parts with every typed word ranked here (whole words first, then the shortest
# texts): read unordered, as the index gives them, only until there are this many.
WORD_CANDIDATES = 100


def _word_prefixes(words: list[str]) -> list[str]:
    """What each typed word must start: the word without its dashes, dots and commas, as
    the search text has each of its words ("bp-d" starts "bp-d1210", kept as "bpd1210")."""
    pieces = [re.sub(r"[\W_]+", "", word) for word in words]
    return list(dict.fromkeys(piece for piece in pieces if piece))


def _text_words(text: str) -> set[str]:
    """The words of a search text as migration 0006's `parts_search_words()` makes them:
    cut at anything but a letter or a digit, and each whole without its dashes and dots."""
    chunks = text.split()
    return {w for w in re.split(r"[\W_]+", text) if w} | {
        re.sub(r"[\W_]+", "", chunk) for chunk in chunks
    }


def _word_rank(text: str, prefixes: list[str]) -> int:
    """How many typed words are not whole words of the text (0: all of them are), so that
    "pad" offers "Pad, front" before "Padding"."""
    whole = _text_words(text)
    return sum(1 for prefix in prefixes if prefix not in whole)


def _words_match(queryset: QuerySet[Part], words: list[str]) -> QuerySet[Part]:
    """The parts with every typed word in their search text (where the words' index of
    MATCHES_SQL is not: SQLite)."""
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


def _prefix_matches(queryset: QuerySet, field: str, key: str) -> QuerySet:
    """The rows whose `field` starts with `key`, in its order. On PostgreSQL both the
    comparison and the order use the column in the "C" collation, so that one index
    (migration 0002, `<field> COLLATE "C"`) finds the first matches and stops at the limit:
    under the database's own collation LIKE cannot use the ordered index, and the planner
    walked the whole catalog in order, filtering, to find a prefix near the end (80 ms for
    "WX0" on 200,000 parts)."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__startswith": key}).order_by(field)
    return (
        queryset.annotate(_c_key=Collate(field, "C"))
        .filter(_c_key__startswith=key)
        .order_by("_c_key")
    )


def _matching_ids(query: PartsQuery, limit: int, *, active_only: bool) -> list[int]:
    """Ids of the parts the search finds, best first: part numbers that are or start with
    what was typed, then vendors' numbers, then descriptions with every word (whole words
    first, then the shortest search texts: the closest to what was typed). Each walks an
    index: the number's prefix index, the vendor number's, and on PostgreSQL the GIN index
    of the search text's words (migration 0006); there, all three in one statement."""
    if connection.vendor == "postgresql":
        numbers, candidates = _matches_in_one_statement(query, limit, active_only=active_only)
    else:
        numbers, candidates = _matches_one_by_one(query, limit, active_only=active_only)
    prefixes = _word_prefixes(query.words)
    candidates.sort(key=lambda row: (_word_rank(row[1], prefixes), len(row[1]), row[0]))
    return list(dict.fromkeys(numbers + [pk for pk, _text in candidates[:limit]]))[:limit]


def _matches_one_by_one(
    query: PartsQuery, limit: int, *, active_only: bool
) -> tuple[list[int], list[tuple[int, str]]]:
    """The ids by our numbers and by vendors' numbers, in order, and the word candidates:
    each search only while the ones before found fewer than `limit` parts."""
    parts = Part.objects.filter(is_active=True) if active_only else Part.objects.all()
    found: list[int] = []
    if query.key:
        found += _prefix_matches(parts, "number_key", query.key).values_list("pk", flat=True)[
            :limit
        ]
    if len(query.key) >= 2 and len(found) < limit:
        vendor_rows = _prefix_matches(VendorPart.objects.all(), "vendor_number_key", query.key)
        if active_only:
            vendor_rows = vendor_rows.filter(part__is_active=True)
        found += vendor_rows.values_list("part_id", flat=True)[:limit]
    candidates: list[tuple[int, str]] = []
    if query.words and len(set(found)) < limit:
        # Unordered, so the index's matches are read only until enough are found (ordering
        # every match of a common word cost most of a second on 200,000 parts).
        candidates = list(
            _words_match(parts, query.words)
            .order_by()
            .values_list("pk", "search_text")[:WORD_CANDIDATES]
        )
    return found, candidates


# The three searches of `_matches_one_by_one` as one statement: one round trip, and always
# one query. Each search after the first runs only while those before found fewer than
# `limit` parts: its condition does not depend on the row, so PostgreSQL checks it once
# (a "one-time filter") and skips the scan of the index when it is false.
MATCHES_SQL = """
WITH numbers AS MATERIALIZED (
    SELECT p.id, p.number_key COLLATE "C" AS sort FROM parts_part p
    WHERE %(key)s <> '' AND p.number_key COLLATE "C" LIKE %(key_start)s {active}
    ORDER BY p.number_key COLLATE "C" LIMIT %(limit)s
), vendors AS MATERIALIZED (
    SELECT v.part_id AS id, v.vendor_number_key COLLATE "C" AS sort
    FROM parts_vendorpart v JOIN parts_part p ON p.id = v.part_id
    WHERE length(%(key)s) >= 2 AND (SELECT count(*) FROM numbers) < %(limit)s
      AND v.vendor_number_key COLLATE "C" LIKE %(key_start)s {active}
    ORDER BY v.vendor_number_key COLLATE "C" LIMIT %(limit)s
), words AS MATERIALIZED (
    SELECT p.id, p.search_text FROM parts_part p
    WHERE %(words)s IS NOT NULL
      AND (SELECT count(DISTINCT f.id) FROM (
          SELECT id FROM numbers UNION ALL SELECT id FROM vendors) f) < %(limit)s
      AND parts_search_words(p.search_text) @@ %(words)s::tsquery {active}
    LIMIT %(candidates)s
)
SELECT 0 AS source, id, sort AS text FROM numbers
UNION ALL SELECT 1, id, sort FROM vendors
UNION ALL SELECT 2, id, search_text FROM words
"""


def _matches_in_one_statement(
    query: PartsQuery, limit: int, *, active_only: bool
) -> tuple[list[int], list[tuple[int, str]]]:
    """`_matches_one_by_one` on PostgreSQL, in one statement (MATCHES_SQL). The words are
    found through the GIN index of the search text's words (migration 0006): each typed
    word is one range of its sorted words (`'pad':* & 'fr':*`)."""
    params = {
        "key": query.key,
        # A key is letters and digits only: nothing in it is a LIKE wildcard.
        "key_start": f"{query.key}%",
        "limit": limit,
        "words": _prefix_query(_word_prefixes(query.words)) or None,
        "candidates": WORD_CANDIDATES,
    }
    sql = MATCHES_SQL.format(active="AND p.is_active" if active_only else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Our numbers, then vendors' numbers, each in its key's order ("C": Python's too).
    numbers = sorted((source, text, pk) for source, pk, text in rows if source < 2)
    candidates = [(pk, text) for source, pk, text in rows if source == 2]
    return [pk for _source, _text, pk in numbers], candidates


def _prefix_query(prefixes: list[str]) -> str:
    """A tsquery of the parts with a word that starts with each prefix ("" for none). The
    prefixes are letters and digits only: quoted, each is a lexeme as it stands."""
    return " & ".join(f"'{prefix}':*" for prefix in prefixes)


@dataclass(frozen=True)
class StockLevel:
    on_hand: Decimal = ZERO
    committed: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.committed


def stock_levels(part_ids: list[int]) -> dict[int, StockLevel]:
    """On hand (the sum of movements) and committed (on open repair orders, jobs not
    declined) for these parts: two queries however many parts."""
    if not part_ids:
        return {}
    on_hand = dict(
        StockMovement.objects.filter(part_id__in=part_ids)
        .order_by()
        .values("part_id")
        .annotate(total=Sum("quantity"))
        .values_list("part_id", "total")
    )
    committed = _committed(part_ids)
    return {pk: StockLevel(on_hand.get(pk) or ZERO, committed.get(pk) or ZERO) for pk in part_ids}


def _open_part_lines() -> QuerySet:
    """Part lines on open repair orders whose job is not declined: what is committed."""
    return (
        PartLine.objects.filter(
            line__work_order__stage=Stage.REPAIR_ORDER,
            line__work_order__closed_at__isnull=True,
        )
        .exclude(line__job__approval=Job.Approval.DECLINED)
        .order_by()
    )


def _committed(part_ids: list[int]) -> dict[int, Decimal]:
    """Quantities on open repair orders (jobs not declined), per part: one grouped query for
    all the parts (as a correlated subquery per part, the planner may walk every open
    repair order's lines once per part)."""
    return dict(
        _open_part_lines()
        .filter(part_id__in=part_ids)
        .values("part_id")
        .annotate(total=Sum("line__quantity"))
        .values_list("part_id", "total")
    )


def parts_with_stock(parts: list[Part]) -> list[Part]:
    """Each part with `.stock` (on hand, committed) and `.price` (fixed or through the
    matrix): three queries for the lot."""
    levels = stock_levels([p.pk for p in parts])
    for part in parts:
        part.stock = levels.get(part.pk, StockLevel())
        part.to_order = reorder_quantity(part) if part.stocked else ZERO
    part_prices(parts)
    return parts


def part_search(raw: str, *, limit: int = TYPEAHEAD_LIMIT, active_only: bool = True) -> list[Part]:
    """The typeahead's and the parts list's search, best first, with stock and price: two
    queries (on PostgreSQL), the search and the parts found with their on hand, committed
    and the band of the matrix their cost falls in."""
    query = PartsQuery.parse(raw)
    if not query:
        return []
    ids = _matching_ids(query, limit, active_only=active_only)
    if not ids:
        return []
    rows = _with_band(_with_on_hand(Part.objects.filter(pk__in=ids))).annotate(
        committed_total=Coalesce(
            Subquery(_committed_of(OuterRef("pk"))), Value(ZERO), output_field=DecimalField()
        )
    )
    by_id = {part.pk: part for part in rows}
    parts = [by_id[pk] for pk in ids if pk in by_id]
    for part in parts:
        part.stock = StockLevel(part.on_hand_total, part.committed_total)
        part.to_order = reorder_quantity(part) if part.stocked else ZERO
        bands = [] if part.band_from is None else [_band_of(part)]
        part.price = part_price(part, bands)
    return parts


def _committed_of(part: OuterRef) -> QuerySet:
    """The quantity of a part on open repair orders (jobs not declined), as a subquery of
    the part: for the few parts a search found (for many, `_committed` groups them)."""
    return (
        _open_part_lines()
        .filter(part=part)
        .values("part")
        .annotate(total=Sum("line__quantity"))
        .values("total")
    )


def _with_band(queryset: QuerySet[Part]) -> QuerySet[Part]:
    """Each part with the band of the pricing matrix its cost falls in (`band_from` None
    without a matrix): what `part_price` needs of the matrix, in the parts' own query."""
    band = PricingBand.objects.filter(cost_from__lte=OuterRef("cost")).filter(
        Q(cost_to__isnull=True) | Q(cost_to__gt=OuterRef("cost"))
    )
    return queryset.annotate(
        **{
            f"band_{name}": Subquery(band.order_by("cost_from").values(field)[:1])
            for name, field in [
                ("from", "cost_from"),
                ("to", "cost_to"),
                ("method", "method"),
                ("percent", "percent"),
            ]
        }
    )


def _band_of(part: Part) -> Band:
    return Band(part.band_from, part.band_to, part.band_method, part.band_percent)


@dataclass
class PartsPage:
    parts: list[Part]
    number: int
    has_next: bool
    searched: bool


def _with_on_hand(queryset: QuerySet[Part]) -> QuerySet[Part]:
    moved = (
        StockMovement.objects.filter(part=OuterRef("pk"))
        .order_by()
        .values("part")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return queryset.annotate(
        on_hand_total=Coalesce(Subquery(moved), Value(ZERO), output_field=DecimalField())
    )


def reorder_quantity(part: Part) -> Decimal:
    """What to order for a part below its reorder point: enough to reach it, and at least
    its reorder quantity."""
    short = part.reorder_point - part.stock.on_hand
    return max(short, part.reorder_quantity) if short > 0 else ZERO


def parts_page(
    *,
    text: str = "",
    category: str = "",
    kind: str = "",
    include_inactive: bool = False,
    low_stock: bool = False,
    page: int = 1,
) -> PartsPage:
    """The parts list: a search (its best matches) or the catalog by part #, a page at a
    time. A fixed number of queries whatever the catalog's size (no count: Next is shown
    when one more row exists)."""
    query = PartsQuery.parse(text)
    page = max(1, page)
    if query:
        ids = _matching_ids(query, LIST_PAGE_SIZE, active_only=not include_inactive)
        rows = Part.objects.in_bulk(ids)
        parts = [rows[pk] for pk in ids if pk in rows]
        if category:
            parts = [p for p in parts if p.category == category]
        if kind:
            parts = [p for p in parts if p.kind == kind]
        parts = parts_with_stock(parts)
        if low_stock:
            parts = [p for p in parts if p.stocked and p.stock.on_hand < p.reorder_point]
        return PartsPage(parts, 1, False, True)
    queryset: QuerySet[Part] = Part.objects.all()
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    if category:
        queryset = queryset.filter(category=category)
    if kind:
        queryset = queryset.filter(kind=kind)
    if low_stock:
        # Reorder suggestions: stocked parts whose movements sum below the reorder point.
        queryset = _with_on_hand(
            queryset.filter(kind="part", stocked=True, reorder_point__gt=0)
        ).filter(on_hand_total__lt=F("reorder_point"))
    start = (page - 1) * LIST_PAGE_SIZE
    rows = list(queryset.order_by("number_key")[start : start + LIST_PAGE_SIZE + 1])
    return PartsPage(
        parts_with_stock(rows[:LIST_PAGE_SIZE]), page, len(rows) > LIST_PAGE_SIZE, False
    )


def part_categories() -> list[str]:
    """The categories a part may take: those of the catalog and of the packages (the jobs'
    categories), for the list's filter and the form's suggestions."""
    names = set(Part.objects.exclude(category="").values_list("category", flat=True).distinct())
    names |= set(Package.objects.values_list("category", flat=True).distinct())
    return sorted(names, key=str.lower)


def part_detail(part_id: int) -> Part:
    part = Part.objects.get(pk=part_id)
    return parts_with_stock([part])[0]


def part_vendors(part: Part) -> list[VendorPart]:
    return list(part.vendor_parts.select_related("vendor").order_by("vendor__name"))


def part_movements(part: Part, limit: int = 100) -> list[StockMovement]:
    """The part's latest movements, newest first, with a running on-hand after each."""
    rows = list(part.movements.select_related("by", "work_order").order_by("-at", "-id")[:limit])
    stock = part.stock if hasattr(part, "stock") else stock_levels([part.pk])[part.pk]
    running = stock.on_hand
    for row in rows:
        row.on_hand_after = running
        running -= row.quantity
    return rows


def pricing_bands() -> list[PricingBand]:
    return list(PricingBand.objects.order_by("cost_from"))


def vendor_list() -> list[Vendor]:
    return list(Vendor.objects.order_by("name"))


def pricing_bands_exist() -> bool:
    return PricingBand.objects.exists()


def pricing_examples() -> list[tuple[Decimal, Decimal]]:
    """What a few typical costs sell for under the matrix (shown beside it)."""
    from parts.services.pricing import price_for_cost, pricing_matrix

    bands = pricing_matrix()
    if not bands:
        return []
    costs = [Decimal(c) for c in ("4.00", "12.00", "38.00", "85.00", "160.00", "420.00")]
    return [(cost, price_for_cost(cost, bands)) for cost in costs]


def labor_part_key() -> str:
    """The catalog number the "Default Part # for Labor Parts" setting names (workorders'
    setting: the labor line the rule adds)."""
    from workorders.selectors import workorder_settings_get

    return number_key(workorder_settings_get().labor_part_number)


def labor_part() -> Part | None:
    return Part.objects.filter(number_key=labor_part_key()).first()


def labor_part_number_missing() -> str:
    """The setting's number when no catalog item has it ("" when one does)."""
    from workorders.selectors import workorder_settings_get

    number = workorder_settings_get().labor_part_number
    if Part.objects.filter(number_key=number_key(number)).exists():
        return ""
    return number

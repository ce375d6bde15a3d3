"""Reads of customers and vehicles: the counter's look-up, the search box, lists and detail."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from customers.models import Customer, CustomerPhone, UtilityLogEntry, Vehicle
from customers.phones import phone_digits, phone_looks_typed, phone_normalize, phone_parse
from customers.vin import vin_clean
from shop.errors import ServiceError

SEARCH_LIMIT = 20
# The typo-tolerant name pass runs when the names as typed match fewer than this.
FUZZY_BELOW = 5


def _uses_trigrams() -> bool:
    return connection.vendor == "postgresql"


def customer_cards(ids: list[int] | None = None) -> QuerySet[Customer]:
    """Customers with what a result card shows: phones and active vehicles, in 3 queries."""
    queryset = Customer.objects.select_related("source").prefetch_related(
        Prefetch("phones", queryset=CustomerPhone.objects.order_by("id")),
        Prefetch("vehicles", queryset=Vehicle.objects.filter(is_active=True)),
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset


@dataclass(frozen=True)
class SearchTerm:
    """What the one search box was given, read as a name, a phone, a plate or a VIN."""

    text: str
    phone_digits: str
    vehicle_code: str
    name_tokens: list[str]

    @classmethod
    def parse(cls, raw: str) -> SearchTerm:
        text = " ".join((raw or "").split())[:100]
        digits = phone_digits(text) if phone_looks_typed(text) else ""
        compact = vin_clean(text).replace(".", "")
        vehicle_code = compact if re.fullmatch(r"[A-Z0-9]{2,17}", compact) else ""
        # Words without digits are (parts of) names; "ABC1234" is a plate, not a name.
        words = [w for w in re.split(r"[\s,]+", text.lower()) if w]
        tokens = [w for w in words if not re.search(r"\d", w) and re.search(r"[^\W_]", w)]
        return cls(text, digits, vehicle_code, tokens[:4])


def _name_matches(term: SearchTerm, limit: int) -> list[tuple[int, float]]:
    if not term.name_tokens:
        return []
    if not _uses_trigrams():
        condition = Q()
        for token in term.name_tokens:
            condition &= Q(search_name__contains=token)
        return [
            (pk, 0.5)
            for pk in Customer.objects.filter(condition)
            .order_by("last_name", "first_name", "id")
            .values_list("pk", flat=True)[:limit]
        ]
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

    # First the names that contain every word as typed (a GIN trigram index scan);
    # only when those are few (a misspelling finds none), the typo-tolerant pass,
    # which ranks candidates by similarity and costs more on common names.
    exact: list[tuple[int, float]] = []
    if all(len(token) >= 3 for token in term.name_tokens):
        condition = Q()
        for token in term.name_tokens:
            condition &= Q(search_name__contains=token)
        # Ordered by similarity, not by name: a name order would tempt the planner
        # into walking the list's index instead of the trigram index.
        exact = [
            (pk, 0.99)
            for pk in Customer.objects.filter(condition)
            .order_by(TrigramSimilarity("search_name", " ".join(term.name_tokens)).desc(), "id")
            .values_list("pk", flat=True)[:limit]
        ]
        if len(exact) >= min(limit, FUZZY_BELOW):
            return exact
    # Every word (nearly) a word of the name, typos and unfinished words included:
    # word similarity on one GIN-indexed column, threshold set in customers/apps.py.
    condition = Q()
    rank = TrigramSimilarity("search_name", " ".join(term.name_tokens))
    for token in term.name_tokens:
        condition &= Q(search_name__trigram_word_similar=token)
        rank = rank + TrigramWordSimilarity(token, "search_name")
    rows = (
        Customer.objects.filter(condition)
        .annotate(rank=rank)
        .order_by("-rank", "id")
        .values_list("pk", "rank")[:limit]
    )
    fuzzy = [(pk, min(0.98, rank / (len(term.name_tokens) + 1))) for pk, rank in rows]
    return exact + fuzzy


def _phone_matches(term: SearchTerm, limit: int) -> list[tuple[int, float]]:
    digits = term.phone_digits
    if not digits:
        return []
    if len(digits) >= 10:
        try:
            e164 = phone_normalize(term.text).e164
        except ServiceError:
            e164 = "+" + digits
        phones = CustomerPhone.objects.filter(e164=e164)
        ids = phones.order_by("customer_id").values_list("customer_id", flat=True).distinct()
        return [(pk, 1.0) for pk in ids[:limit]]
    # The last digits, as a caller reads them out ("ends in 0142"). Seven digits are
    # a whole local number too: with the shop's default area code it ranks first.
    local = phone_parse(term.text) if len(digits) == 7 else None
    exact = phonenumbers.format_number(local, phonenumbers.PhoneNumberFormat.E164) if local else ""
    rows = (
        CustomerPhone.objects.filter(e164__endswith=digits)
        .order_by(Case(When(e164=exact, then=0), default=1), "customer_id")
        .values_list("customer_id", "e164")[: limit * 2]
    )
    ranked: dict[int, float] = {}
    for pk, e164 in rows:
        ranked[pk] = max(ranked.get(pk, 0.0), 1.0 if e164 == exact else 0.9)
    return list(ranked.items())[:limit]


def _vehicle_matches(term: SearchTerm, limit: int) -> list[tuple[int, float]]:
    code = term.vehicle_code
    if not code or (" " in term.text and not re.search(r"\d", code)):
        return []  # several plain words are a name, not a plate
    condition = Q(plate__startswith=code)
    if len(code) == 17:
        condition |= Q(vin=code)
    elif len(code) >= 6:
        condition |= Q(vin__endswith=code)
    ids = (
        Vehicle.objects.filter(condition)
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
        .distinct()
    )
    return [(pk, 0.95) for pk in ids[:limit]]


def customer_search_ids(raw: str, *, limit: int = SEARCH_LIMIT) -> list[int]:
    """Ids of the customers matching one search box entry, best first.

    At most three small indexed queries, whatever the shop's size: names
    (pg_trgm similarity on PostgreSQL, "contains" on SQLite), phones (whole
    number in any format, or its last digits) and vehicles (plate, VIN, end of VIN).
    """
    term = SearchTerm.parse(raw)
    if len(term.text) < 2:
        return []
    scored: dict[int, float] = {}
    for pk, rank in (
        _phone_matches(term, limit) + _vehicle_matches(term, limit) + _name_matches(term, limit)
    ):
        scored[pk] = max(rank, scored.get(pk, 0.0))
    return [pk for pk, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))][:limit]


def in_search_order(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """The queryset limited to these ids, best search match first."""
    queryset = queryset.filter(pk__in=ids)
    if _uses_trigrams():
        from django.contrib.postgres.fields import ArrayField

        # One array_position() instead of a CASE with a branch per id, which costs
        # more to compile than the search itself.
        position = Func(
            Value(ids, output_field=ArrayField(BigIntegerField())),
            F("id"),
            function="array_position",
            output_field=IntegerField(),
        )
    else:
        position = Case(
            *[When(pk=pk, then=index) for index, pk in enumerate(ids)],
            output_field=IntegerField(),
        )
    return queryset.order_by(position, "id")


def customer_cards_in_order(ids: list[int]) -> list[Customer]:
    if not ids:
        return []
    by_id = {customer.pk: customer for customer in customer_cards(ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def customer_search(raw: str, *, limit: int = SEARCH_LIMIT) -> list[Customer]:
    return customer_cards_in_order(customer_search_ids(raw, limit=limit))


def customers_with_phone(raw: str) -> tuple[str, list[Customer]]:
    """The counter's look-up: the normalized number and every customer who has it."""
    normalized = phone_normalize(raw, field="phone")
    ids = list(
        CustomerPhone.objects.filter(e164=normalized.e164)
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
        .distinct()[:SEARCH_LIMIT]
    )
    return normalized.e164, list(customer_cards(ids).order_by("last_name", "first_name", "id"))


def customer_list() -> QuerySet[Customer]:
    """All customers in the list's order (paginate their ids, then load the cards)."""
    return Customer.objects.order_by("last_name", "first_name", "company_name", "id")


def customer_detail(pk: int) -> Customer:
    return (
        Customer.objects.select_related("source", "household_main")
        .prefetch_related(
            "phones",
            "emails",
            Prefetch("vehicles", queryset=Vehicle.objects.order_by("-is_active", "-year", "id")),
            Prefetch("household_members", queryset=Customer.objects.order_by("first_name", "id")),
        )
        .get(pk=pk)
    )


def vehicles_with_vin(vin: str, *, exclude: Vehicle | None = None, limit: int = 5) -> list[Vehicle]:
    """The vehicles (any customer's, active or not) that already have this VIN."""
    if not vin:
        return []
    queryset = Vehicle.objects.filter(vin=vin).select_related("customer").order_by("id")
    if exclude is not None and exclude.pk:
        queryset = queryset.exclude(pk=exclude.pk)
    return list(queryset[:limit])


def utility_log(*, limit: int = 100) -> QuerySet[UtilityLogEntry]:
    return UtilityLogEntry.objects.select_related("performed_by", "undone_by").defer("changes")[
        :limit
    ]

"""Automatic Combine Customers: find likely duplicate customers in the whole file.

Blocking keeps it fast on a shop with 100,000 customers: only customers that
share a normalized phone, an e-mail address, or a phonetic name (Metaphone) in
the same postcode are compared; the name keys do not depend on which name went
into which field ("Anderson Lisa" meets "Lisa Anderson") and read a nickname as
the full name. Phones stored without an area code are read with the shop's.

Each candidate pair whose names agree (Jaro-Winkler, one keyboard slip, a
nickname, swapped fields) is weighed on the evidence for it (the same cell
phone, e-mail, address) and against it (two different cell phones, a "Jr" on
one, different middle initials). A pair is **sure** only when the evidence is
strong and nothing disagrees: a shared home phone or an address alone never
makes two people one, because fathers and sons and spouses share both. Other
pairs are a **maybe**, shown with their evidence in words; one that looks like
family (same last name, same home) is offered as a family member instead.
Sure groups are cliques of sure pairs, never chains: a record joins a group only
when it is sure with every member. Two people with different first names are
never proposed; customers already linked as one household never are.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import jellyfish
from django.db.models.functions import Lower

from customers.duplicates.evidence import (
    Contacts,
    PairEvidence,
    Record,
    contacts_may_agree,
    contacts_read,
    pair_evidence,
    street_read,
)
from customers.duplicates.names import full_name, person_name
from customers.models import Customer, CustomerEmail, CustomerPhone
from customers.phones import default_area_code, phone_parse

__all__ = [
    "DuplicateGroup",
    "DuplicateReview",
    "PairEvidence",
    "Record",
    "duplicate_candidates",
    "duplicate_pairs",
    "duplicate_records",
    "find_duplicate_groups",
    "find_duplicates",
    "person_name",
    "record_add_phone",
    "record_make",
]

# A phone or e-mail shared by more customers than this is a business line or a
# shared inbox, not evidence of one person; such blocks are skipped.
MAX_SHARED = 6
# Name blocks larger than this are compared only with their nearest neighbours.
MAX_BLOCK = 40


@dataclass
class DuplicateGroup:
    ids: list[int]  # the one to keep first: the oldest record
    score: int  # the weakest pair's: every pair in a group is sure
    reasons: list[str]
    pairs: list[PairEvidence] = field(default_factory=list)


@dataclass
class DuplicateReview:
    sure: list[DuplicateGroup]
    maybe: list[PairEvidence]


def _phone_key(e164: str, number: str, area_code: str) -> str:
    """The number to match on: a row stored without its area code (seven digits typed
    before the shop had a default area code) is read again with the shop's."""
    complete = e164.startswith("+") and not (e164.startswith("+1") and len(e164) < 12)
    if complete or not area_code:
        return e164
    parsed = phone_parse(number, area_code=area_code)
    return f"+{parsed.country_code}{parsed.national_number}" if parsed else e164


def record_make(
    pk: int,
    *,
    company: bool,
    first_name: str,
    last_name: str,
    company_name: str,
    street: str,
    postcode: str,
    household: int | None = None,
) -> Record:
    """A customer as the finder reads it; phones and e-mails are added to it after."""
    given, family, middle, suffix = (
        ("", "", "", "") if company else person_name(first_name, last_name)
    )
    return Record(
        pk,
        company,
        given,
        family,
        middle,
        suffix,
        company_name.lower().strip(),
        street_read(street),
        postcode.strip()[:5],
        household,
    )


def record_add_phone(record: Record, e164: str, kind: str) -> None:
    # A number that is someone's cell on one row counts as a cell.
    if record.phones.get(e164) != "cell":
        record.phones[e164] = kind


def duplicate_records() -> dict[int, Record]:
    """Every customer in the shop as the finder reads it, to compare other records with
    (the import's dry run compares the incoming file with them)."""
    return _load()


def duplicate_candidates(
    records: dict[int, Record], *, involving: Callable[[int], bool] | None = None
) -> Iterator[PairEvidence]:
    """The evidence on every pair of records that share a block and may be one customer,
    each pair weighed once; with `involving`, only pairs with a record it accepts."""
    # Only the pairs that share some contact detail are remembered (and weighed): one that
    # shares none is dismissed again, in a few set operations, in each block it is met.
    seen: set[tuple[int, int]] = set()
    contacts: dict[int, Contacts] = {}

    def contacts_of(pk: int) -> Contacts:
        found = contacts.get(pk)
        if found is None:
            found = contacts[pk] = contacts_read(records[pk])
        return found

    for block in _blocks(records):
        if involving is not None and not any(involving(pk) for pk in block):
            continue
        members = sorted(set(block))
        read = [contacts_of(pk) for pk in members]
        for i, j in combinations(range(len(members)), 2):
            a, b = members[i], members[j]
            if involving is not None and not (involving(a) or involving(b)):
                continue
            if not contacts_may_agree(read[i], read[j]) or (a, b) in seen:
                continue
            seen.add((a, b))
            pair = pair_evidence(records[a], records[b])
            if pair is not None:
                yield pair


def _load() -> dict[int, Record]:
    rows = (
        Customer.objects.order_by()
        .values_list(
            "pk", "kind", "first_name", "last_name", "company_name", "address_line1", "postcode",
            "household_main_id",
        )
        .iterator(chunk_size=10_000)
    )  # fmt: skip
    records = {}
    for pk, kind, first, last, company, street, postcode, household in rows:
        records[pk] = record_make(
            pk,
            company=kind == Customer.Kind.COMPANY,
            first_name=first,
            last_name=last,
            company_name=company,
            street=street,
            postcode=postcode,
            household=household,
        )
    area_code = default_area_code()
    phones = CustomerPhone.objects.order_by().values_list("customer_id", "e164", "kind", "number")
    for customer_id, e164, kind, number in phones.iterator(chunk_size=10_000):
        record_add_phone(records[customer_id], _phone_key(e164, number, area_code), kind)
    emails = CustomerEmail.objects.order_by().values_list("customer_id", Lower("address"))
    for customer_id, address in emails:
        records[customer_id].emails.add(address)
    return records


@cache
def _phonetic(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


def _blocks(records: dict[int, Record]) -> list[list[int]]:
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for record in records.values():
        for phone in record.phones:
            by_key[("phone", phone)].append(record.pk)
        for email in record.emails:
            by_key[("email", email)].append(record.pk)
        if record.company:
            words = record.company_name.split()
            if words:
                by_key[("company", _phonetic(words[0]), record.postcode)].append(record.pk)
        elif record.first and record.last:
            # Each name's sound with the other's initial: two keys, so that a typo changing
            # one name's sound is caught by the other, and the same two keys whichever
            # name went into which field. A nickname is read as the full name.
            one, other = full_name(record.first), record.last
            by_key[("name", _phonetic(one), other[0], record.postcode)].append(record.pk)
            by_key[("name", _phonetic(other), one[0], record.postcode)].append(record.pk)
    blocks = []
    for key, ids in by_key.items():
        if len(ids) < 2:
            continue
        if key[0] in ("phone", "email") and len(ids) > MAX_SHARED:
            continue
        if len(ids) > MAX_BLOCK:
            # Sorted by name, a misspelling sits close to the original: compare neighbours.
            ids = sorted(ids, key=lambda pk: (records[pk].last, records[pk].first))
            blocks.extend(ids[i : i + 8] for i in range(0, len(ids) - 1, 4))
        else:
            blocks.append(ids)
    return blocks


def _cliques(ids: list[int], sure: dict[tuple[int, int], PairEvidence]) -> list[list[int]]:
    """Split records joined by sure pairs into groups whose every pair is sure: each
    record, oldest first, joins the group it is surest with, or starts its own."""
    groups: list[list[int]] = []
    for pk in sorted(ids):
        fits = [
            group
            for group in groups
            if all((other, pk) in sure for other in group)  # `other` is older: lower id
        ]
        if fits:
            best = max(fits, key=lambda group: sum(sure[(other, pk)].score for other in group))
            best.append(pk)
        else:
            groups.append([pk])
    return [group for group in groups if len(group) > 1]


def find_duplicates() -> DuplicateReview:
    """Every likely duplicate in the customer file: sure groups (best first) and maybe pairs."""
    # Hundreds of thousands of small objects that all live to the end: the cyclic garbage
    # collector would only walk them again and again (a third of the time on 100,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _find_duplicates()
    finally:
        if collecting:
            gc.enable()


def _find_duplicates() -> DuplicateReview:
    records = _load()
    sure: dict[tuple[int, int], PairEvidence] = {}
    maybe: list[PairEvidence] = []
    for pair in duplicate_candidates(records):
        if pair.sure:
            sure[pair.ids] = pair
        else:
            maybe.append(pair)
    parent: dict[int, int] = {}

    def find(pk: int) -> int:
        parent.setdefault(pk, pk)
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in sure:
        parent[find(b)] = find(a)
    members: dict[int, list[int]] = defaultdict(list)
    for pk in parent:
        members[find(pk)].append(pk)
    groups = []
    grouped: set[tuple[int, int]] = set()
    for ids in members.values():
        for group in _cliques(ids, sure):
            pairs = [sure[p] for p in combinations(group, 2)]
            grouped.update(pair.ids for pair in pairs)
            weakest = min(pairs, key=lambda pair: pair.score)
            groups.append(DuplicateGroup(group, weakest.score, weakest.reasons, pairs))
    # A sure pair that would have chained two groups together is left for a person to judge.
    for ids, pair in sure.items():
        if ids not in grouped:
            pair.sure = False
            pair.disagrees.append("not sure with the rest of its group")
            pair.score = max(1, pair.score - 20)
            maybe.append(pair)
    groups.sort(key=lambda group: (-group.score, group.ids[0]))
    maybe.sort(key=lambda pair: (-pair.score, pair.ids))
    return DuplicateReview(groups, maybe)


def find_duplicate_groups() -> list[DuplicateGroup]:
    """The sure tier: groups whose every pair is sure, best score first."""
    return find_duplicates().sure


def duplicate_pairs(groups: list[DuplicateGroup]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(sorted(group.ids), 2)}

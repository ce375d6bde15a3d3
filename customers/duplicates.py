"""Automatic Combine Customers: find likely duplicate customers in the whole file.

Blocking keeps it fast on a shop with 100,000 customers: only customers that
share a normalized phone, an e-mail address, or a phonetic name (Metaphone) in
the same postcode are compared. Each candidate pair is scored with rapidfuzz
(Jaro-Winkler on first and last names, a nickname read as the full name,
token ratios on company names and streets); a pair is a duplicate when the
names agree and at least one contact detail does (phone, e-mail, or street
address). Family members share a phone,
an address and a last name but not a first name, so they are not proposed;
customers already linked as one household never are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import jellyfish
from django.db.models.functions import Lower
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from customers.models import Customer, CustomerEmail, CustomerPhone

# A phone or e-mail shared by more customers than this is a business line or a
# shared inbox, not evidence of one person; such blocks are skipped.
MAX_SHARED = 6
# Name blocks larger than this are compared only with their nearest neighbours.
MAX_BLOCK = 40
NAME_AGREES = 0.85
STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln", "court": "ct",
    "boulevard": "blvd", "place": "pl", "north": "n", "south": "s", "east": "e", "west": "w",
}  # fmt: skip


# Counter staff type the name the customer gives: "Bob" one year, "Robert" the next.
NICKNAMES = {
    "abby": "abigail", "al": "albert", "alex": "alexander", "andy": "andrew", "barb": "barbara",
    "ben": "benjamin", "beth": "elizabeth", "betty": "elizabeth", "bill": "william",
    "billy": "william", "bob": "robert", "bobby": "robert", "cathy": "catherine",
    "charlie": "charles", "chris": "christopher", "chuck": "charles", "dan": "daniel",
    "danny": "daniel", "dave": "david", "deb": "deborah", "debbie": "deborah",
    "dick": "richard", "don": "donald", "ed": "edward", "eddie": "edward", "frank": "francis",
    "fred": "frederick", "greg": "gregory", "hank": "henry", "jack": "john", "jeff": "jeffrey",
    "jen": "jennifer", "jenny": "jennifer", "jerry": "gerald", "jim": "james", "jimmy": "james",
    "joe": "joseph", "joey": "joseph", "jon": "jonathan", "kate": "katherine",
    "kathy": "katherine", "katie": "katherine", "ken": "kenneth", "kim": "kimberly",
    "larry": "lawrence", "liz": "elizabeth", "maggie": "margaret", "matt": "matthew",
    "mike": "michael", "mikey": "michael", "nick": "nicholas", "pam": "pamela",
    "pat": "patricia", "patty": "patricia", "peggy": "margaret", "pete": "peter",
    "phil": "phillip", "ray": "raymond", "rick": "richard", "rob": "robert", "ron": "ronald",
    "sam": "samuel", "sandy": "sandra", "steve": "steven", "sue": "susan", "ted": "theodore",
    "terry": "terrence", "tim": "timothy", "tom": "thomas", "tommy": "thomas",
    "tony": "anthony", "vicky": "victoria", "will": "william",
}  # fmt: skip


@dataclass
class Record:
    pk: int
    company: bool
    first: str
    last: str
    company_name: str
    street: str
    postcode: str
    household: int | None
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)


@dataclass
class DuplicateGroup:
    ids: list[int]  # the one to keep first: the oldest record
    score: int
    reasons: list[str]


def _street(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def _load() -> dict[int, Record]:
    rows = (
        Customer.objects.order_by()
        .values_list(
            "pk", "kind", "first_name", "last_name", "company_name", "address_line1", "postcode",
            "household_main_id",
        )
        .iterator(chunk_size=10_000)
    )  # fmt: skip
    records = {
        pk: Record(
            pk,
            kind == Customer.Kind.COMPANY,
            first.lower().strip(),
            last.lower().strip(),
            company.lower().strip(),
            _street(street),
            postcode.strip()[:5],
            household,
        )
        for pk, kind, first, last, company, street, postcode, household in rows
    }
    for customer_id, e164 in CustomerPhone.objects.order_by().values_list("customer_id", "e164"):
        records[customer_id].phones.add(e164)
    emails = CustomerEmail.objects.order_by().values_list("customer_id", Lower("address"))
    for customer_id, address in emails:
        records[customer_id].emails.add(address)
    return records


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
            # Two keys, so that a typo changing one name's sound is caught by the other.
            by_key[("last", _phonetic(record.last), record.first[0], record.postcode)].append(
                record.pk
            )
            by_key[("first", _phonetic(record.first), record.last[0], record.postcode)].append(
                record.pk
            )
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


def _alike(one: str, other: str) -> float:
    """Jaro-Winkler, but one slip of the keyboard (a wrong, missing, extra or swapped
    letter) in a name of four letters or more always counts as alike."""
    similarity = JaroWinkler.normalized_similarity(one, other)
    if (
        similarity < 0.9
        and min(len(one), len(other)) >= 4
        and DamerauLevenshtein.distance(one, other, score_cutoff=1) <= 1
    ):
        return 0.9
    return similarity


def _names_agree(a: Record, b: Record) -> float:
    """0 when the names disagree; otherwise how alike they are (0.85 to 1)."""
    if a.company or b.company:
        if not (a.company and b.company):
            return 0.0
        similarity = (
            max(
                fuzz.token_sort_ratio(a.company_name, b.company_name),
                fuzz.ratio(a.company_name, b.company_name),
            )
            / 100
        )
        return similarity if similarity >= NAME_AGREES else 0.0
    first_names = max(
        _alike(a.first, b.first),
        _alike(NICKNAMES.get(a.first, a.first), NICKNAMES.get(b.first, b.first)),
    )
    straight = (first_names, _alike(a.last, b.last))
    swapped = (_alike(a.first, b.last), _alike(a.last, b.first))
    first, last = max(straight, swapped, key=sum)
    if first < NAME_AGREES or last < NAME_AGREES:
        return 0.0
    return (first + last) / 2


def pair_score(a: Record, b: Record) -> tuple[int, list[str]]:
    """A score out of 100 and the reasons, or 0 when the two are not one customer."""
    if a.household is not None and (a.household == b.pk or a.household == b.household):
        return 0, []
    if b.household is not None and b.household == a.pk:
        return 0, []
    names = _names_agree(a, b)
    if not names:
        return 0, []
    reasons = []
    evidence = 0.0
    if a.phones & b.phones:
        reasons.append("same phone")
        evidence += 0.25
    if a.emails & b.emails:
        reasons.append("same e-mail")
        evidence += 0.25
    if a.street and a.postcode == b.postcode and fuzz.ratio(a.street, b.street) >= 90:
        reasons.append("same address")
        evidence += 0.15
    if not reasons:
        return 0, []
    reasons.insert(0, "same name" if names > 0.99 else "similar name")
    return round(100 * (0.6 * names + min(0.4, evidence))), reasons


def find_duplicate_groups() -> list[DuplicateGroup]:
    """Every group of likely duplicates in the customer file, best score first."""
    records = _load()
    seen: set[tuple[int, int]] = set()
    scored: dict[tuple[int, int], tuple[int, list[str]]] = {}
    for block in _blocks(records):
        for a, b in combinations(sorted(set(block)), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            score, reasons = pair_score(records[a], records[b])
            if score:
                scored[(a, b)] = (score, reasons)
    parent: dict[int, int] = {}

    def find(pk: int) -> int:
        parent.setdefault(pk, pk)
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in scored:
        parent[find(b)] = find(a)
    members: dict[int, list[int]] = defaultdict(list)
    for pk in parent:
        members[find(pk)].append(pk)
    groups = []
    for ids in members.values():
        ids.sort()
        pairs = [scored[p] for p in combinations(ids, 2) if p in scored]
        best = max(pairs, key=lambda pair: pair[0])
        groups.append(DuplicateGroup(ids, best[0], best[1]))
    groups.sort(key=lambda group: (-group.score, group.ids[0]))
    return groups


def duplicate_pairs(groups: list[DuplicateGroup]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(sorted(group.ids), 2)}

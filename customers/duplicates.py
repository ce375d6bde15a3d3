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
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import jellyfish
from django.db.models.functions import Lower
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from customers.models import Customer, CustomerEmail, CustomerPhone
from customers.phones import default_area_code, phone_parse

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
    "tony": "anthony", "vicky": "victoria", "will": "william", "becky": "rebecca",
    "jess": "jessica", "josh": "joshua", "jake": "jacob", "mandy": "amanda", "zach": "zachary",
    "nate": "nathan", "sally": "sarah", "tina": "christina", "meg": "margaret",
}  # fmt: skip
# A generation, typed into either name field with or without a dot: "Smith Jr.", "John II".
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "2nd", "3rd"}
# Endings that turn one first name into another person's (Paul and Paula, Eric and Erica),
# not a typing slip.
NAME_ENDINGS = ("a", "e", "ie", "le", "ine", "na", "ette")
PHONE_KINDS = {"cell": "cell phone", "home": "home phone", "work": "work phone"}


@dataclass
class Record:
    pk: int
    company: bool
    first: str
    last: str
    middle: str  # a middle initial typed after the first name, or ""
    suffix: str  # "jr", "sr", "ii", ... or ""
    company_name: str
    street: str
    postcode: str
    household: int | None
    phones: dict[str, str] = field(default_factory=dict)  # E.164 -> kind
    emails: set[str] = field(default_factory=set)

    @property
    def cells(self) -> set[str]:
        return {e164 for e164, kind in self.phones.items() if kind == "cell"}


@dataclass
class PairEvidence:
    """Why two records may be one customer, and why perhaps not, in the counter's words."""

    ids: tuple[int, int]  # the one to keep (the oldest record) first
    score: int
    agrees: list[str]
    disagrees: list[str]
    sure: bool
    # Same last name and the same home: offer Add as Family Member.
    family: bool = False

    @property
    def reasons(self) -> list[str]:
        return self.agrees + self.disagrees


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


def _street(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s-]", "", text.lower().replace(",", " ")).split()


@cache
def person_name(first: str, last: str) -> tuple[str, str, str, str]:
    """First, last, middle initial and generational suffix, wherever the suffix was typed."""
    first_words, last_words = _words(first), _words(last)
    suffix = ""
    for words in (last_words, first_words):
        if len(words) > 1 and words[-1] in SUFFIXES:
            suffix = suffix or words.pop()
    middle = ""
    if len(first_words) > 1 and len(first_words[-1]) == 1:
        middle = first_words.pop()
    if not middle and len(last_words) > 1 and len(last_words[-1]) == 1:
        middle = last_words.pop()  # swapped fields: "Anderson" / "Lisa M"
    return " ".join(first_words), " ".join(last_words), middle, suffix


def _phone_key(e164: str, number: str, area_code: str) -> str:
    """The number to match on: a row stored without its area code (seven digits typed
    before the shop had a default area code) is read again with the shop's."""
    complete = e164.startswith("+") and not (e164.startswith("+1") and len(e164) < 12)
    if complete or not area_code:
        return e164
    parsed = phone_parse(number, area_code=area_code)
    return f"+{parsed.country_code}{parsed.national_number}" if parsed else e164


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
        is_company = kind == Customer.Kind.COMPANY
        given, family, middle, suffix = ("", "", "", "") if is_company else person_name(first, last)
        records[pk] = Record(
            pk,
            is_company,
            given,
            family,
            middle,
            suffix,
            company.lower().strip(),
            _street(street),
            postcode.strip()[:5],
            household,
        )
    area_code = default_area_code()
    phones = CustomerPhone.objects.order_by().values_list("customer_id", "e164", "kind", "number")
    for customer_id, e164, kind, number in phones.iterator(chunk_size=10_000):
        key = _phone_key(e164, number, area_code)
        phones_of = records[customer_id].phones
        # A number that is someone's cell on one row counts as a cell.
        if phones_of.get(key) != "cell":
            phones_of[key] = kind
    emails = CustomerEmail.objects.order_by().values_list("customer_id", Lower("address"))
    for customer_id, address in emails:
        records[customer_id].emails.add(address)
    return records


@cache
def _phonetic(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


def _full(first: str) -> str:
    return NICKNAMES.get(first, first)


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
            one, other = _full(record.first), record.last
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


def _other_person(one: str, other: str) -> bool:
    """Paul and Paula, Eric and Erica, Daniel and Danielle: alike, but two people."""
    short, long = sorted((one, other), key=len)
    return long != short and long.startswith(short) and long[len(short) :] in NAME_ENDINGS


def _first_names(one: str, other: str) -> tuple[float, str]:
    if one == other:
        return 1.0, "same name"
    if _full(one) == _full(other):
        return 0.97, "nickname"
    if _other_person(one, other):
        return 0.0, ""
    similarity = _alike(one, other)
    if one in NICKNAMES or other in NICKNAMES:
        similarity = max(similarity, _alike(_full(one), _full(other)))
    return similarity, "similar name"


def _close(one: str, other: str) -> bool:
    """The same name, a nickname, or one keyboard slip apart: not merely alike, as Maria
    and Marvin are."""
    if one == other or _full(one) == _full(other):
        return True
    return (
        min(len(one), len(other)) >= 4
        and DamerauLevenshtein.distance(one, other, score_cutoff=1) <= 1
    )


def _could_be_swapped(a: Record, b: Record) -> bool:
    """A quick look before comparing crosswise: do the initials meet?"""
    return a.last[0] == _full(b.first)[0] or a.last[0] == b.first[0]


def _names_agree(a: Record, b: Record) -> tuple[float, str, list[str]]:
    """How alike the names are (0.85 to 1), how, and what in them disagrees; 0 when the
    names are not alike at all."""
    if a.company or b.company:
        if not (a.company and b.company):
            return 0.0, "", []
        similarity = (
            max(
                fuzz.token_sort_ratio(a.company_name, b.company_name),
                fuzz.ratio(a.company_name, b.company_name),
            )
            / 100
        )
        if similarity < NAME_AGREES:
            return 0.0, "", []
        # "Midwest Delivery 318" and "... 469": two branches, or two businesses.
        numbers = re.findall(r"\d+", a.company_name), re.findall(r"\d+", b.company_name)
        differ = [f"numbers {'/'.join(numbers[0])} and {'/'.join(numbers[1])} in the names"]
        how = "same name" if similarity > 0.99 else "similar name"
        return similarity, how, differ if all(numbers) and numbers[0] != numbers[1] else []
    if not (a.first and a.last and b.first and b.last):
        return 0.0, "", []
    first, how = _first_names(a.first, b.first)
    last, b_first, b_last = _alike(a.last, b.last), b.first, b.last
    if (first < NAME_AGREES or last < NAME_AGREES) and _could_be_swapped(a, b):
        # Perhaps the names went into each other's fields.
        swapped_first, _ = _first_names(a.first, b.last)
        swapped_last, _ = _first_names(a.last, b.first)
        if swapped_first + swapped_last > first + last:
            first, last, how = swapped_first, swapped_last, "names swapped between first and last"
            b_first, b_last = b.last, b.first
    if first < NAME_AGREES or last < NAME_AGREES:
        return 0.0, "", []
    if how == "same name" and last < 0.99:
        how = "similar name"
    differ = []
    if not _close(a.first, b_first):
        differ.append(f"first names '{a.first.title()}' and '{b_first.title()}'")
    if not _close(a.last, b_last):
        differ.append(f"last names '{a.last.title()}' and '{b_last.title()}'")
    return (first + last) / 2, how, differ


def _transposed(one: str, other: str) -> bool:
    """Two numbers alike but for two neighbouring digits swapped: a keying slip. (One
    digit apart is not: a family plan's numbers often are.)"""
    if len(one) != len(other) or one == other:
        return False
    differ = [i for i, (x, y) in enumerate(zip(one, other, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and one[differ[0]] == other[differ[1]]
        and one[differ[1]] == other[differ[0]]
    )


def _suffix_words(a: Record, b: Record) -> str:
    if a.suffix and b.suffix:
        return f"'{a.suffix.capitalize()}' and '{b.suffix.capitalize()}'"
    return f"'{(a.suffix or b.suffix).capitalize()}' on one"


def pair_evidence(a: Record, b: Record) -> PairEvidence | None:
    """The evidence for and against `a` and `b` being one customer, or None when the
    names disagree, no contact detail is shared, or they are one household already."""
    if a.household is not None and (a.household == b.pk or a.household == b.household):
        return None
    if b.household is not None and b.household == a.pk:
        return None
    names, how, disagrees = _names_agree(a, b)
    if not names:
        return None
    agrees: list[str] = []
    strong = False
    evidence = 0.0
    shared = a.phones.keys() & b.phones.keys()
    for kind in ("cell", "work", "home"):
        if any(kind in (a.phones[p], b.phones[p]) for p in shared):
            agrees.append(f"same {PHONE_KINDS[kind]}")
            shared = {p for p in shared if kind not in (a.phones[p], b.phones[p])}
            evidence += 0.25 if kind == "cell" else 0.15
            # A shared cell phone is one person's; a business line is the business's; a
            # home phone is the whole family's.
            strong = strong or kind == "cell" or (a.company and b.company)
    near = (
        []
        if a.phones.keys() & b.phones.keys()
        else [(one, other) for one in a.phones for other in b.phones if _transposed(one, other)]
    )
    near_phone = bool(near)
    near_cell = any("cell" in (a.phones[one], b.phones[other]) for one, other in near)
    if near_phone:
        agrees.append("phone numbers alike but for two swapped digits")
        evidence += 0.1
    if a.emails & b.emails:
        agrees.append("same e-mail")
        evidence += 0.25
        strong = True
    same_address = bool(
        a.street
        and a.postcode == b.postcode
        # 12 Maple Drive and 21 Maple Drive are neighbours, not one address.
        and re.findall(r"\d+", a.street) == re.findall(r"\d+", b.street)
        and fuzz.ratio(a.street, b.street) >= 90
    )
    if same_address:
        agrees.append("same address")
        evidence += 0.15
        # A cell number keyed with two digits swapped, at the same address.
        strong = strong or near_cell
    if not agrees:
        return None
    a_cells, b_cells = a.cells, b.cells
    if (
        a_cells
        and b_cells
        and not (a_cells & b.phones.keys() or b_cells & a.phones.keys())
        and not any(_transposed(one, other) for one in a_cells for other in b_cells)
    ):
        disagrees.append("different cell phones")
    if a.suffix != b.suffix:
        disagrees.append(_suffix_words(a, b))
    if a.middle and b.middle and a.middle != b.middle:
        disagrees.append(f"middle initials '{a.middle.upper()}' and '{b.middle.upper()}'")
    agrees.insert(0, how)
    score = round(100 * (0.6 * names + min(0.4, evidence))) - 20 * len(disagrees)
    family = bool(
        disagrees
        and not a.company
        and _alike(a.last, b.last) >= 0.99
        and (same_address or any(a.phones[p] == "home" for p in a.phones.keys() & b.phones.keys()))
    )
    ids = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
    return PairEvidence(
        ids, max(1, score), agrees, disagrees, sure=strong and not disagrees, family=family
    )


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
    seen: set[tuple[int, int]] = set()
    sure: dict[tuple[int, int], PairEvidence] = {}
    maybe: list[PairEvidence] = []
    for block in _blocks(records):
        for a, b in combinations(sorted(set(block)), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            pair = pair_evidence(records[a], records[b])
            if pair is None:
                continue
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

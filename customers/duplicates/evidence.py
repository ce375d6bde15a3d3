"""The evidence for and against two customer records being one customer, in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from customers.duplicates.names import (
    NAME_AGREES,
    alike,
    close,
    first_names,
    full_name,
)

STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln", "court": "ct",
    "boulevard": "blvd", "place": "pl", "north": "n", "south": "s", "east": "e", "west": "w",
    "highway": "hwy", "parkway": "pkwy", "terrace": "ter", "circle": "cir", "trail": "trl",
    "square": "sq", "apartment": "apt", "suite": "ste", "unit": "apt", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip
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


def street_read(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def _house_number(street: str) -> str | None:
    numbers = re.findall(r"\d+", street)
    return numbers[0] if numbers else None


NO_DIGITS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Contacts:
    """What a record could share with another that `pair_evidence` counts as evidence for
    them: its e-mails (the record's own set, not a copy), its phones' digits in any order
    (the same number has the same, and so has one keyed with two digits swapped), and its
    house number and postcode."""

    emails: set[str]
    digits: frozenset[str]
    house: tuple[str, str] | None  # (postcode, first number of the street)


def contacts_read(record: Record) -> Contacts:
    house = _house_number(record.street) if record.street else None
    return Contacts(
        record.emails,
        frozenset("".join(sorted(phone)) for phone in record.phones)
        if record.phones
        else NO_DIGITS,
        (record.postcode, house) if house is not None else None,
    )


def contacts_may_agree(a: Contacts, b: Contacts) -> bool:
    """False only when `pair_evidence` would find nothing to agree on (so returns None):
    no phone, e-mail or phone digits in common, and not one house number in one postcode.
    A few set operations, where weighing the names and streets costs a hundred times more:
    most pairs that share a name block share nothing else."""
    return bool(
        (a.house is not None and a.house == b.house)
        or a.digits & b.digits  # a phone in common has its digits in common too
        or a.emails & b.emails
    )


def _numbers_agree(one: str, other: str) -> bool:
    """The house number (and the apartment's, when both give one) are the same."""
    numbers = sorted((re.findall(r"\d+", one), re.findall(r"\d+", other)), key=len)
    return bool(numbers[0]) and numbers[1][: len(numbers[0])] == numbers[0]


def _could_be_swapped(a: Record, b: Record) -> bool:
    """A quick look before comparing crosswise: do the initials meet?"""
    return a.last[0] == full_name(b.first)[0] or a.last[0] == b.first[0]


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
    first, how = first_names(a.first, b.first)
    last, b_first, b_last = alike(a.last, b.last), b.first, b.last
    if (first < NAME_AGREES or last < NAME_AGREES) and _could_be_swapped(a, b):
        # Perhaps the names went into each other's fields.
        swapped_first, _ = first_names(a.first, b.last)
        swapped_last, _ = first_names(a.last, b.first)
        if swapped_first + swapped_last > first + last:
            first, last, how = swapped_first, swapped_last, "names swapped between first and last"
            b_first, b_last = b.last, b.first
    if first < NAME_AGREES or last < NAME_AGREES:
        return 0.0, "", []
    if how == "same name" and last < 0.99:
        how = "similar name"
    differ = []
    if not close(a.first, b_first):
        differ.append(f"first names '{a.first.title()}' and '{b_first.title()}'")
    if not close(a.last, b_last):
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
        return f"'{a.suffix}' and '{b.suffix}'"
    return f"'{a.suffix or b.suffix}' on one"


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
        # 12 Maple Drive and 21 Maple Drive are neighbours, not one address; nor are
        # apartments 2 and 5 of one building.
        and _numbers_agree(a.street, b.street)
        # "12 Maple Dr" is "12 Maple Dr Apt 3" when the apartment was left out.
        and (
            fuzz.ratio(a.street, b.street) >= 90 or fuzz.token_set_ratio(a.street, b.street) == 100
        )
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
        and alike(a.last, b.last) >= 0.99
        and (same_address or any(a.phones[p] == "home" for p in a.phones.keys() & b.phones.keys()))
    )
    ids = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
    return PairEvidence(
        ids, max(1, score), agrees, disagrees, sure=strong and not disagrees, family=family
    )

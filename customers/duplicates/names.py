"""Reading and comparing people's names as the counter types them: nicknames, a
generational suffix in either field, a middle initial, one slip of the keyboard."""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

NAME_AGREES = 0.85
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
SUFFIXES = {
    "jr": "Jr", "junior": "Jr", "sr": "Sr", "senior": "Sr", "ii": "II", "2nd": "II",
    "iii": "III", "3rd": "III", "iv": "IV",
}  # fmt: skip
# Endings that turn one first name into another person's (Paul and Paula, Eric and Erica),
# not a typing slip.
NAME_ENDINGS = ("a", "e", "ie", "le", "ine", "na", "ette")


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s-]", "", text.lower().replace(",", " ")).split()


@cache
def person_name(first: str, last: str) -> tuple[str, str, str, str]:
    """First, last, middle initial and generational suffix, wherever the suffix was typed."""
    first_words, last_words = _words(first), _words(last)
    suffix = ""
    for words in (last_words, first_words):
        if len(words) > 1 and words[-1] in SUFFIXES:
            suffix = suffix or SUFFIXES[words.pop()]
    middle = ""
    if len(first_words) > 1 and len(first_words[-1]) == 1:
        middle = first_words.pop()
    if not middle and len(last_words) > 1 and len(last_words[-1]) == 1:
        middle = last_words.pop()  # swapped fields: "Anderson" / "Lisa M"
    return " ".join(first_words), " ".join(last_words), middle, suffix


def full_name(first: str) -> str:
    return NICKNAMES.get(first, first)


def alike(one: str, other: str) -> float:
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


def first_names(one: str, other: str) -> tuple[float, str]:
    if one == other:
        return 1.0, "same name"
    if full_name(one) == full_name(other):
        return 0.97, "nickname"
    if _other_person(one, other):
        return 0.0, ""
    similarity = alike(one, other)
    if one in NICKNAMES or other in NICKNAMES:
        similarity = max(similarity, alike(full_name(one), full_name(other)))
    return similarity, "similar name"


def close(one: str, other: str) -> bool:
    """The same name, a nickname, or one keyboard slip apart: not merely alike, as Maria
    and Marvin are."""
    if one == other or full_name(one) == full_name(other):
        return True
    return (
        min(len(one), len(other)) >= 4
        and DamerauLevenshtein.distance(one, other, score_cutoff=1) <= 1
    )

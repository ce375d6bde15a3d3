"""The plain North American shapes are read without the phone library, to the same number."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from customers.phones import phone_parse
from imports.values import BadValue, _nanp_fast, phone_read

SHAPES = [
    "({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a}{b}{c}", "1-{a}-{b}-{c}", "+1 {a} {b} {c}",
    "{b}-{c}", "{b}{c}", "1{a}{b}{c}", "+1({a}){b}-{c}", "{a} {b} {c}", "0{a}{b}{c}", "{b} {c}",
]  # fmt: skip


def _library(raw: str, area_code: str) -> str | None:
    parsed = phone_parse(raw, area_code=area_code)
    if parsed is None:
        return None
    parsed.extension = None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def test_the_fast_reading_agrees_with_the_phone_library():
    rng = random.Random(20)
    fast_ones = 0
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(10))
        raw = rng.choice(SHAPES).format(a=digits[:3], b=digits[3:6], c=digits[6:])
        for code in ["217", ""]:
            fast = _nanp_fast(raw, code)
            if fast is not None:
                fast_ones += 1
                assert fast == _library(raw, code), (raw, code)
    assert fast_ones > 1000  # most plain shapes take the fast way


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("555-0142 x12", "+12175550142"),
        ("+44 20 7946 0958", "+442079460958"),
        ("(217) 555-0142 ext 4", "+12175550142"),
        ("217-555-01420", None),
    ],
)
def test_other_shapes_still_go_through_the_phone_library(typed, e164):
    assert _nanp_fast(typed, "217") is None
    assert _library(typed, "217") == e164
    if e164 is None:
        with pytest.raises(BadValue, match="is not a phone number"):
            phone_read(typed, area_code="217")
    else:
        assert phone_read(typed, area_code="217").e164 == e164

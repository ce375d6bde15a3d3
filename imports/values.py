"""One cell of an old system's export read as what it means: a date, money, a phone, a VIN.

Each reader takes the text as exported and returns the value, or raises `BadValue` with
what is wrong in words the owner can act on ("“13/45/2019” is not a date"). Phones go
through the project's one parser (customers.phones), VINs through customers.vin.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.utils import timezone

from customers.phones import default_region, phone_parse
from customers.vin import vin_check_digit, vin_clean


class BadValue(ValueError):
    """A cell that cannot be read; the message says why."""


# The dates old systems write: month first (US: 03/07/2019, 3/7/19, 3-7-2019, 3.7.2019),
# or ISO (2019-03-07, 2019/03/07); then perhaps a time (14:05, 14:05:09.000, 2:05 PM, a "T").
# Read with one regular expression rather than trying strptime format after format: an
# invoice file has hundreds of thousands of them.
US_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
ISO_DATE = re.compile(r"(\d{4})([/-])(\d{1,2})\2(\d{1,2})")
TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?"
)
TRUE = {"y", "yes", "true", "t", "1", "x"}
FALSE = {"n", "no", "false", "f", "0", ""}


def date_read(text: str) -> date:
    """A date as old systems write it: 03/07/2019, 3/7/19, 2019-03-07, with or without time."""
    return datetime_read(text).date()


def datetime_read(text: str) -> datetime:
    """A date and time (midnight when no time is given), naive: the shop's local time."""
    raw = (text or "").strip()
    if not raw:
        raise BadValue("no date")
    not_a_date = BadValue(f"“{raw}” is not a date (write it as MM/DD/YYYY or YYYY-MM-DD)")
    match = ISO_DATE.match(raw)
    if match:
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    else:
        match = US_DATE.match(raw)
        if not match:
            raise not_a_date
        month, day, year = int(match[1]), int(match[3]), int(match[4])
        if len(match[4]) == 2:
            # "3/7/68": an old system's two-digit year is in the past, never the future.
            year += 2000
            if year > date.today().year + 1:
                year -= 100
    rest = raw[match.end() :].lstrip(" T")
    hour = minute = second = 0
    if rest:
        clock = TIME.fullmatch(rest)
        if not clock:
            raise BadValue(f"“{raw}” has a time that cannot be read")
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        if clock[4]:
            if not 1 <= hour <= 12:
                raise BadValue(f"“{raw}” has a time that cannot be read")
            hour = hour % 12 + (12 if clock[4].lower() == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        if hour > 23 or minute > 59 or second > 59:
            raise BadValue(f"“{raw}” has a time that cannot be read") from None
        raise not_a_date from None


def aware(moment: datetime) -> datetime:
    """The shop's local time, made aware (a DST gap moves forward, as the clock did)."""
    return timezone.make_aware(moment, timezone.get_default_timezone())


# Money as most cells hold it ("1234.50", "$1,234.50"): read without the general path's
# replaces and quantize (an invoice lines file has millions of these).
PLAIN_MONEY = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d\d)")


def money_read(text: str) -> Decimal:
    """$1,234.50, (12.00) for a negative, -12, 1 234,5 is not accepted (a comma is thousands)."""
    plain = PLAIN_MONEY.fullmatch(text) if text else None
    if plain is not None:
        return Decimal(plain[1].replace(",", "") + plain[2])
    raw = (text or "").strip()
    if not raw:
        return Decimal("0.00")
    cleaned = raw.replace("$", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-"):  # "12.00-" as some ledgers print credits
        negative, cleaned = True, cleaned[:-1]
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    cleaned = cleaned.lstrip("$")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", cleaned):
        raise BadValue(f"“{raw}” is not an amount of money")
    try:
        value = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise BadValue(f"“{raw}” is not an amount of money") from None
    return -value if negative else value


def quantity_read(text: str) -> Decimal:
    raw = (text or "").strip()
    if not raw:
        return Decimal("1.00")
    try:
        return Decimal(raw.replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise BadValue(f"“{raw}” is not a quantity") from None


def whole_number_read(text: str, *, what: str) -> int | None:
    raw = (text or "").strip().replace(",", "")
    if not raw:
        return None
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw.isdigit():
        raise BadValue(f"“{text.strip()}” is not {what}")
    return int(raw)


def yes_no_read(text: str) -> bool:
    raw = (text or "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise BadValue(f"“{text.strip()}” is neither yes nor no")


@dataclass(frozen=True)
class ReadPhone:
    number: str  # as exported
    e164: str


# The plain North American shapes old systems export ("(217) 555-0142", "217.555.0142",
# "1-217-555-0142", "555-0142"): read without the phone library, which costs a few hundred
# microseconds a number (a third of a big dry run). Anything else goes through it.
_NANP_SHAPE = re.compile(r"(?:\+1)?[\d\s().\-]+")
_NON_DIGITS = re.compile(r"\D")


@functools.lru_cache(maxsize=8)
def _nanp_region(region: str) -> bool:
    return phonenumbers.country_code_for_region(region) == 1


def _nanp_fast(raw: str, area_code: str) -> str | None:
    """The E.164 of a plain North American number, or None to ask the phone library. Only
    shapes the library reads the same way: ten digits not starting with 0 or 1, the same
    after a leading 1, or seven (not starting with 0 or 1) with the shop's area code."""
    if not _NANP_SHAPE.fullmatch(raw) or not _nanp_region(default_region()):
        return None
    digits = _NON_DIGITS.sub("", raw)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    elif raw.startswith("+1"):
        return None
    if len(digits) == 7 and digits[0] not in "01" and area_code:
        digits = area_code + digits
    if len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01":
        return "+1" + digits
    return None


def phone_read(text: str, *, area_code: str) -> ReadPhone | None:
    """A phone in any format; seven digits take the shop's default area code. None if empty."""
    raw = (text or "").strip()
    if not raw:
        return None
    fast = _nanp_fast(raw, area_code) if len(area_code or "") in {0, 3} else None
    if fast is not None:
        return ReadPhone(number=raw, e164=fast)
    parsed = phone_parse(raw, area_code=area_code)
    if parsed is None:
        if len(re.sub(r"\D", "", raw)) == 7 and not area_code:
            raise BadValue(
                f"“{raw}” has no area code and the shop has no default area code (Shop settings)"
            )
        raise BadValue(f"“{raw}” is not a phone number")
    parsed.extension = None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ReadPhone(number=raw, e164=e164)


@dataclass(frozen=True)
class ReadVin:
    vin: str
    problem: str  # "" when the VIN is right; otherwise what is wrong, and it is kept anyway


def vin_read(text: str) -> ReadVin:
    """The VIN cleaned; a wrong check digit or length is flagged, never a reason to drop it."""
    vin = vin_clean(text)
    if not vin:
        return ReadVin("", "")
    if len(vin) != 17:
        return ReadVin(vin[:17], f"VIN “{vin}” has {len(vin)} characters, not 17")
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", vin):
        return ReadVin(vin, f"VIN “{vin}” has letters a VIN never has (I, O, Q) or symbols")
    if vin[0] in "12345" and vin[8] != vin_check_digit(vin):
        return ReadVin(
            vin,
            f"VIN “{vin}” has a wrong check digit ({vin[8]}, should be {vin_check_digit(vin)}): "
            "kept as exported",
        )
    return ReadVin(vin, "")


def email_read(text: str) -> str:
    raw = (text or "").strip()
    if not raw:
        return ""
    if not re.fullmatch(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+", raw):
        raise BadValue(f"“{raw}” is not an e-mail address")
    return raw.lower() if raw.upper() == raw else raw

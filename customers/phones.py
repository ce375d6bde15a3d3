"""Phone numbers: what the advisor typed, normalized to E.164 for look-ups and texting."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings

from shop.errors import ServiceError


def default_region() -> str:
    """The country assumed for numbers typed without a +country code (SHOP_PHONE_REGION)."""
    return getattr(settings, "SHOP_PHONE_REGION", "US") or "US"


@dataclass(frozen=True)
class NormalizedPhone:
    e164: str
    national: str
    extension: str = ""
    # Typed with seven digits: the shop's default area code was added.
    area_code_added: bool = False

    @property
    def area_code(self) -> str:
        """The North American area code (the three digits after +1), or ""."""
        return self.e164[2:5] if self.e164.startswith("+1") and len(self.e164) == 12 else ""


def default_area_code() -> str:
    """The shop's default area code (Shop settings), or "" when the shop has none."""
    from shop.selectors import shop_profile_get

    return shop_profile_get().default_area_code or ""


def _is_local_only(parsed: phonenumbers.PhoneNumber) -> bool:
    """Seven digits with no area code ("555-0188"): dialable only inside the area."""
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY


def _parse(
    typed: str, *, region: str | None, area_code: str | None
) -> tuple[phonenumbers.PhoneNumber | None, str, bool]:
    """The parsed number (or None); when it failed, what is wrong: "format" (not a number
    at all), "area_code" (seven digits and no default area code to give them) or "digits";
    and whether the default area code was added."""
    region = region or default_region()
    try:
        parsed = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        return None, "format", False
    added = False
    if _is_local_only(parsed) and phonenumbers.country_code_for_region(region) == 1:
        # Customers give seven digits all day: they take the shop's area code.
        code = default_area_code() if area_code is None else area_code
        if not code:
            return None, "area_code", False
        parsed = phonenumbers.parse(f"{code}{parsed.national_number}", region)
        parsed.extension = phonenumbers.parse(typed, region).extension
        added = True
    if not phonenumbers.is_possible_number(parsed) or _is_local_only(parsed):
        return None, "digits", False
    return parsed, "", added


def phone_parse(
    raw: str, *, region: str | None = None, area_code: str | None = None
) -> phonenumbers.PhoneNumber | None:
    """A number that could be dialled (the right count of digits), or None.

    The one reader of typed numbers: seven digits ("555-0188", "5550188", "555 0121")
    take the shop's default area code (Shop settings; `area_code` overrides it), and
    the shop's own region is assumed without a +country code.
    Lenient on purpose: texting and provider webhooks accept any possible number;
    `phone_normalize` adds the strict check for what an advisor types.
    """
    typed = (raw or "").strip()
    if not typed:
        return None
    return _parse(typed, region=region, area_code=area_code)[0]


def phone_normalize(
    raw: str, *, region: str | None = None, field: str = "number", area_code: str | None = None
) -> NormalizedPhone:
    """Parse a number typed in any format; raise a ServiceError a person can act on."""
    typed = (raw or "").strip()
    if not typed:
        raise ServiceError("Enter a phone number.", field=field)
    parsed, problem, added = _parse(typed, region=region, area_code=area_code)
    if problem == "format":
        raise ServiceError(
            f"“{typed}” is not a phone number. Type the area code and number, e.g. (217) 555-0142.",
            field=field,
        )
    if problem == "area_code":
        raise ServiceError(
            f"“{typed}” has no area code: type the phone number with its area code, e.g. "
            "(217) 555-0142, or set the shop's default area code in Shop settings.",
            field=field,
        )
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ServiceError(
            f"“{typed}” is not a valid phone number: check the area code and the number of digits.",
            field=field,
        )
    extension = parsed.extension or ""
    parsed.extension = None
    return NormalizedPhone(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        extension=extension,
        area_code_added=added,
    )


def phone_hint() -> str:
    """The help text under a phone field: the formats accepted, the default area code."""
    code = default_area_code()
    if code:
        return (
            f"Any format: ({code}) 555-0142, {code}.555.0142; "
            f"seven digits (555-0142) take area code {code}."
        )
    return "Any format: (217) 555-0142, 217.555.0142, +1 217 555 0142."


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def phone_looks_typed(text: str) -> bool:
    """Does a search box entry look like (part of) a phone number rather than a name or plate?"""
    compact = re.sub(r"[\s().\-+/]", "", text or "")
    return len(compact) >= 4 and compact.isdigit()


def phone_with_new_area_code(number: str, e164: str, new_code: str) -> tuple[str, str]:
    """The typed number and the E.164 with the area code replaced (North American numbers)."""
    old_code = e164[2:5]
    new_e164 = f"+1{new_code}{e164[5:]}"
    # Keep the advisor's formatting: swap the first occurrence of the old code in
    # what was typed; if it is not there (typed without it), show the national form.
    if old_code in number:
        new_number = number.replace(old_code, new_code, 1)
    else:
        new_number = phonenumbers.format_number(
            phonenumbers.parse(new_e164), phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return new_number, new_e164

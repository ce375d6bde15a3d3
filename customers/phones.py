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

    @property
    def area_code(self) -> str:
        """The North American area code (the three digits after +1), or ""."""
        return self.e164[2:5] if self.e164.startswith("+1") and len(self.e164) == 12 else ""


def phone_parse(raw: str, *, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """A number that could be dialled (the right count of digits), or None.

    Lenient on purpose: texting and provider webhooks accept any possible number;
    `phone_normalize` adds the strict check for what an advisor types.
    """
    typed = (raw or "").strip()
    if not typed:
        return None
    try:
        parsed = phonenumbers.parse(typed, region or default_region())
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def phone_normalize(
    raw: str, *, region: str | None = None, field: str = "number"
) -> NormalizedPhone:
    """Parse a number typed in any format; raise a ServiceError a person can act on."""
    typed = (raw or "").strip()
    if not typed:
        raise ServiceError("Enter a phone number.", field=field)
    try:
        phonenumbers.parse(typed, region or default_region())
    except phonenumbers.NumberParseException:
        raise ServiceError(
            f"“{typed}” is not a phone number. Type the area code and number, e.g. (217) 555-0142.",
            field=field,
        ) from None
    parsed = phone_parse(typed, region=region)
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
    )


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

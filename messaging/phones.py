"""Phone numbers as texting needs them: E.164, whatever was typed (parsed by customers.phones)."""

from __future__ import annotations

import phonenumbers
from django.conf import settings

from customers.phones import phone_parse


def phone_to_e164(raw: str) -> str:
    """'(217) 555-0142' -> '+12175550142'; '' when it is not a possible number."""
    parsed = phone_parse(raw)
    if parsed is None:
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """'+12175550142' -> '(217) 555-0142' in the shop's region, international elsewhere."""
    try:
        parsed = phonenumbers.parse(e164, settings.SHOP_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(parsed) == settings.SHOP_PHONE_REGION:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

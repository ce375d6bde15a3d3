"""Is a webhook really from the provider? Twilio signs each request with the auth token."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from twilio.request_validator import RequestValidator


def twilio_request_is_signed(request: HttpRequest) -> bool:
    """Check X-Twilio-Signature against the URL Twilio called (SHOP_BASE_URL) and the form.

    Without an auth token nothing can be checked, so everything is refused.
    """
    signature = request.headers.get("X-Twilio-Signature", "")
    if not settings.TWILIO_AUTH_TOKEN or not signature:
        return False
    url = settings.SHOP_BASE_URL + request.get_full_path()
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(
        url, request.POST.dict(), signature
    )

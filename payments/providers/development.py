"""The development backend: no money moves. Pay sends the customer to the shop's own
"Pretend to pay" page (payments.views_paylink.pretend_pay), which is served only while
this backend is selected. Its button writes the notification a provider would send,
signed with a key derived from SECRET_KEY, and hands it to the same reading and
recording path as a real webhook (it can also be POSTed to /payments/webhooks/development/).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from payments.providers.base import (
    CheckoutRequest,
    CheckoutStarted,
    PaymentNotice,
    PaymentProvider,
    ProviderRefused,
)

SIGNATURE_HEADER = "X-Development-Signature"


def _key() -> bytes:
    return hashlib.sha256(f"payments.development:{settings.SECRET_KEY}".encode()).digest()


def signature_make(payload: bytes) -> str:
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest()


class DevelopmentProvider(PaymentProvider):
    name = "development"
    label = "Development (pretend to pay)"
    pretends = True

    def checkout_start(self, request: CheckoutRequest) -> CheckoutStarted:
        checkout_ref = f"dev_cs_{secrets.token_urlsafe(18)}"
        return CheckoutStarted(
            provider_checkout_id=checkout_ref,
            redirect_url=reverse("payments:pretend_pay", args=[checkout_ref]),
        )

    def notification_make(
        self, *, checkout_id: int, checkout_ref: str, amount: Decimal, currency: str
    ) -> tuple[bytes, dict[str, str]]:
        """What the pretend page sends: one payment per checkout (the same id however many
        times the button is pressed), a new event id each time, like a provider's retries."""
        payload = json.dumps(
            {
                "id": f"dev_evt_{secrets.token_hex(12)}",
                "type": "payment.succeeded",
                "checkout": checkout_id,
                "checkout_ref": checkout_ref,
                "payment": f"dev_pay_{checkout_ref.removeprefix('dev_cs_')}",
                "amount": str(amount),
                "currency": currency,
            }
        ).encode()
        return payload, {SIGNATURE_HEADER: signature_make(payload)}

    def notification_read(
        self, *, payload: bytes, headers: Mapping[str, str]
    ) -> PaymentNotice | None:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not signature or not hmac.compare_digest(signature, signature_make(payload)):
            raise ProviderRefused("bad signature")
        try:
            data = json.loads(payload)
            if data.get("type") != "payment.succeeded":
                return None
            return PaymentNotice(
                event_id=str(data["id"]),
                provider_payment_id=str(data["payment"]),
                checkout_id=int(data["checkout"]),
                provider_checkout_id=str(data["checkout_ref"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]).lower(),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError):
            raise ProviderRefused("unreadable notification") from None

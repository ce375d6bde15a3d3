"""Stripe: a Checkout Session per Pay, and its webhook.

Keys from the environment (config/settings.py, README "Configuration"):
STRIPE_SECRET_KEY (sk_...), STRIPE_WEBHOOK_SECRET (whsec_..., the endpoint's signing
secret), STRIPE_CURRENCY. The webhook endpoint is /payments/webhooks/stripe/ with the
events `checkout.session.completed` and `checkout.session.async_payment_succeeded`.

The notification is believed only through `stripe.Webhook.construct_event`: the
`Stripe-Signature` header's HMAC-SHA256 of "{timestamp}.{payload}" with the signing
secret, and a timestamp no older than STRIPE_WEBHOOK_TOLERANCE seconds (an old one is a
replay).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from payments.providers.base import (
    CheckoutRequest,
    CheckoutStarted,
    PaymentNotice,
    PaymentProvider,
    ProviderError,
    ProviderRefused,
)

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
# Currencies Stripe counts in whole units (no cents): https://docs.stripe.com/currencies
ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx"}
ZERO_DECIMAL |= {"vnd", "vuv", "xaf", "xof", "xpf"}


def minor_units(amount: Decimal, currency: str) -> int:
    return int(amount if currency in ZERO_DECIMAL else amount * 100)


def from_minor_units(value: int, currency: str) -> Decimal:
    return (
        Decimal(value)
        if currency in ZERO_DECIMAL
        else (Decimal(value) / 100).quantize(Decimal("0.01"))
    )


class StripeProvider(PaymentProvider):
    name = "stripe"
    label = "Stripe"

    def __init__(self, http_client: Any = None):
        # `http_client`: a stripe.HTTPClient; the tests give one that records the request.
        self.http_client = http_client

    def client(self) -> stripe.StripeClient:
        if not settings.STRIPE_SECRET_KEY:
            raise ProviderError("STRIPE_SECRET_KEY is not set.")
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            http_client=self.http_client,
            max_network_retries=2,
        )

    def checkout_start(self, request: CheckoutRequest) -> CheckoutStarted:
        currency = request.currency.lower()
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency,
                        "unit_amount": minor_units(request.amount, currency),
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": str(request.checkout_id),
            "metadata": {"shop_checkout_id": str(request.checkout_id)},
            "payment_intent_data": {
                "metadata": {"shop_checkout_id": str(request.checkout_id)},
                "description": request.description,
            },
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = self.client().v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                # The same checkout row asked twice (a retry) opens one session.
                {"idempotency_key": request.idempotency_key or f"shop-{request.checkout_id}"},
            )
        except stripe.StripeError as error:
            raise ProviderError(str(error.user_message or error)) from error
        return CheckoutStarted(provider_checkout_id=session.id, redirect_url=session.url or "")

    def notification_read(
        self, *, payload: bytes, headers: Mapping[str, str]
    ) -> PaymentNotice | None:
        if not settings.STRIPE_WEBHOOK_SECRET:
            raise ProviderRefused("STRIPE_WEBHOOK_SECRET is not set")
        try:
            event = stripe.Webhook.construct_event(
                payload,
                headers.get("Stripe-Signature", ""),
                settings.STRIPE_WEBHOOK_SECRET,
                tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
            )
        except stripe.SignatureVerificationError as error:
            raise ProviderRefused(f"bad signature: {error.user_message or error}") from None
        except ValueError:
            raise ProviderRefused("unreadable payload") from None
        data = event.to_dict()  # plain dicts: StripeObject refuses dict methods
        if data.get("type") not in PAID_EVENTS:
            return None
        session = (data.get("data") or {}).get("object") or {}
        if session.get("payment_status") != "paid":
            # Paid later (a bank debit): async_payment_succeeded follows.
            return None
        try:
            currency = str(session["currency"]).lower()
            metadata = session.get("metadata") or {}
            reference = metadata.get("shop_checkout_id") or session.get("client_reference_id")
            return PaymentNotice(
                event_id=str(data["id"]),
                provider_payment_id=str(session.get("payment_intent") or session["id"]),
                checkout_id=int(reference) if reference else None,
                provider_checkout_id=str(session["id"]),
                amount=from_minor_units(int(session["amount_total"]), currency),
                currency=currency,
            )
        except (KeyError, TypeError, ValueError):
            raise ProviderRefused("unreadable checkout session") from None

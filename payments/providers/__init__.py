"""Where the customer's card is charged when they press Pay on their link.

`provider_get()` returns the backend named by the `PAYMENTS_PROVIDER` setting:
`development` (payments.providers.development: a "Pretend to pay" page, for a developer's
machine and the tests) or `stripe` (payments.providers.stripe: Stripe Checkout). Every
backend implements payments.providers.base.PaymentProvider; what they tell the shop
about a payment goes through one recording path (payments.services.paylink).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.providers.base import (
    CheckoutRequest,
    CheckoutStarted,
    PaymentNotice,
    PaymentProvider,
    ProviderError,
    ProviderRefused,
)

__all__ = [
    "CheckoutRequest",
    "CheckoutStarted",
    "PaymentNotice",
    "PaymentProvider",
    "ProviderError",
    "ProviderRefused",
    "provider_get",
]


def provider_get(name: str | None = None) -> PaymentProvider | None:
    """The backend named `name`, or the one the settings choose; None when pay by link is
    off (PAYMENTS_PROVIDER "none")."""
    name = name or settings.PAYMENTS_PROVIDER
    if name in ("", "none"):
        return None
    if name == "development":
        from payments.providers.development import DevelopmentProvider

        return DevelopmentProvider()
    if name == "stripe":
        from payments.providers.stripe import StripeProvider

        return StripeProvider()
    raise ImproperlyConfigured(
        f"PAYMENTS_PROVIDER is {name!r}: it must be 'stripe', 'development' or 'none'."
    )

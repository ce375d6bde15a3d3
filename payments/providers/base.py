"""The interface every payment provider implements, and what crosses it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CheckoutRequest:
    """What the customer is about to pay (an OnlineCheckout row) and where they come back."""

    checkout_id: int
    amount: Decimal
    currency: str
    description: str
    success_url: str
    cancel_url: str
    customer_email: str = ""
    # Unique per checkout across every installation (a provider retry sends it again).
    idempotency_key: str = ""


@dataclass(frozen=True)
class CheckoutStarted:
    """The provider's id of the checkout, and the page the customer is sent to."""

    provider_checkout_id: str
    redirect_url: str


@dataclass(frozen=True)
class PaymentNotice:
    """A provider's word that a checkout was paid, read from a verified notification."""

    event_id: str
    provider_payment_id: str
    checkout_id: int | None
    provider_checkout_id: str
    amount: Decimal
    currency: str


class ProviderRefused(Exception):
    """A notification that is not believed: bad signature, too old (a replay), unreadable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProviderError(Exception):
    """The provider could not start a checkout (down, refused the request, no keys)."""


class PaymentProvider(ABC):
    name: str
    label: str
    # Whether the shop serves the "Pretend to pay" page for this backend.
    pretends: bool = False

    @abstractmethod
    def checkout_start(self, request: CheckoutRequest) -> CheckoutStarted:
        """Open a checkout at the provider; raise ProviderError when it cannot."""

    @abstractmethod
    def notification_read(
        self, *, payload: bytes, headers: Mapping[str, str]
    ) -> PaymentNotice | None:
        """Verify a notification (webhook) and read it: a PaymentNotice for a payment that
        succeeded, None for an event that records nothing, ProviderRefused when it cannot
        be trusted."""

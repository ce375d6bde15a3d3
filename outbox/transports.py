"""The registry of transports: how each channel's messages leave the shop.

The app that owns a channel registers its transport in its AppConfig.ready():
messaging registers "sms" and "email", outbox/webhooks.py brings the generic
signed "webhook" transport (whose signers integrations and fleet register).
The outbox itself knows no provider: it asks the transport of a message's
channel to check the recipient, to say whether the message may still go, and
to send it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from shop.errors import ServiceError

if TYPE_CHECKING:
    from outbox.models import OutboundMessage


def _unchanged(to: str) -> str:
    return (to or "").strip()


def _never(message: OutboundMessage) -> bool:
    return False


@dataclass(frozen=True)
class Transport:
    channel: str
    # Hands one message to the provider and returns its id for the message; raises
    # outbox.errors.TransientProviderError (try again later) or PermanentProviderError.
    send: Callable[[OutboundMessage], str]
    # The recipient as stored (a normalized phone number, a trimmed address); raises
    # ServiceError with a message for the user when it cannot be sent to.
    clean_recipient: Callable[[str], str] = _unchanged
    # Why this contact may not be sent to ("" when they may): asked at enqueue (with
    # message=None) and again at send time, so a consent withdrawn meanwhile still wins.
    refusal: Callable[..., str] | None = None
    # Loads, with the row being sent, what `refusal` reads (one query instead of two).
    annotate: Callable[[QuerySet], QuerySet] | None = None
    # Whether a message its worker left "sending" may be sent again: only when the
    # provider drops a second send of the same message (or the receiver does, by id).
    drops_duplicates: Callable[[OutboundMessage], bool] = _never
    # The message for a message without a subject, where one is needed ("" when not).
    missing_subject_error: str = ""


_transports: dict[str, Transport] = {}


def register(channel: str, *, send: Callable[[OutboundMessage], str], **options: Any) -> None:
    """Make `channel` sendable (called again with the same channel, it replaces the first)."""
    _transports[channel] = Transport(channel=channel, send=send, **options)


def transport_for(channel: str) -> Transport:
    try:
        return _transports[channel]
    except KeyError:
        raise ServiceError(f"Nothing sends “{channel}” messages.", field="channel") from None


def registered() -> dict[str, Transport]:
    return dict(_transports)

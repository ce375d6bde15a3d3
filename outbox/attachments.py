"""Files an e-mail carries, made when it is sent from what caused it.

An outbox row keeps text only. An app whose e-mails carry a file (parts: a purchase
order's PDF to the vendor) registers, from its AppConfig.ready(), a builder for the model
that causes them:

    from outbox import attachments
    attachments.register("parts.purchaseorder", purchase_order_attachments)

The e-mail transport (messaging/emails.py) asks `attachments_for(message)` at each try and
attaches what the builder returns: a list of (file name, bytes, MIME type). The builder
reads the cause as it is then, so it must only be used for a cause that no longer changes
once the message is written (a sent purchase order is not edited). The outbox never names
the app that registers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from outbox.models import OutboundMessage

Attachment = tuple[str, bytes, str]

_builders: dict[str, Callable[[Any], list[Attachment]]] = {}


def register(model_label: str, builder: Callable[[Any], list[Attachment]]) -> None:
    """`model_label` as Django writes it, lower case: "parts.purchaseorder"."""
    _builders[model_label.lower()] = builder


def attachments_for(message: OutboundMessage) -> list[Attachment]:
    """The files of this message ([] when its cause has no builder or is gone)."""
    if message.cause_type_id is None or message.cause_id is None:
        return []
    content_type = message.cause_type
    builder = _builders.get(f"{content_type.app_label}.{content_type.model}")
    if builder is None:
        return []
    cause = content_type.model_class()._default_manager.filter(pk=message.cause_id).first()
    return builder(cause) if cause is not None else []

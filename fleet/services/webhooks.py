"""Webhooks both ways with an outside fleet network, signed with the company's secret.

Signature: HMAC-SHA256 with the company's `webhook_secret` over
`"<timestamp>." + body`, sent as `X-Fleet-Signature: sha256=<hex>` next to
`X-Fleet-Timestamp: <unix seconds>` and `X-Fleet-Company-Id`. A request older
(or newer) than SIGNATURE_TOLERANCE seconds is refused, so a captured request
cannot be replayed later; inbound events also carry an `event_id`, answered once
and then replayed from the stored answer.

Outbound webhooks are rows of the shop's outbox (written by `webhook_enqueue` in
fleet/services/requests.py with the change), posted by the outbox's webhook
transport with the headers of `signed_headers`, retried with its backoff and
relayed when the broker was down (outbox/services.py).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.db import IntegrityError, transaction

from fleet.models import FleetCompany, FleetInboundEvent, FleetRequest
from fleet.selectors import request_as_dict
from fleet.services.requests import fleet_note_add, fleet_request_decide
from outbox.errors import PermanentProviderError
from outbox.models import OutboundMessage
from shop.errors import ServiceError

SIGNATURE_TOLERANCE = 300
TIMESTAMP_HEADER = "X-Fleet-Timestamp"
SIGNATURE_HEADER = "X-Fleet-Signature"
COMPANY_HEADER = "X-Fleet-Company-Id"


def webhook_sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def webhook_verify(
    *,
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
) -> bool:
    """True only for a fresh timestamp and a signature made with the secret."""
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > SIGNATURE_TOLERANCE:
        return False
    expected = webhook_sign(secret=secret, timestamp=sent_at, body=body)
    return hmac.compare_digest(expected, signature)


def signed_headers(message: OutboundMessage, body: bytes, timestamp: int) -> dict[str, str]:
    """The fleet's headers for one try of an outbound webhook (the outbox posts them).

    Registered for FleetCompany with outbox.webhooks.register_signer: the message's
    cause is the company whose secret signs it.
    """
    company = FleetCompany.objects.filter(pk=message.cause_id).first()
    if company is None:
        raise PermanentProviderError("The fleet company was removed.")
    return {
        COMPANY_HEADER: company.fleet_company_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_sign(
            secret=company.webhook_secret, timestamp=timestamp, body=body
        ),
    }


def fleet_inbound_event_handle(*, company: FleetCompany, payload: dict) -> dict:
    """A decision or note from the outside fleet network (already verified as signed).

    Raises FleetRequest.DoesNotExist for a request of another fleet (a 404) and
    ServiceError for bad input or a superseded version (a 409).
    """
    event_id = str(payload.get("event_id") or "").strip()[:100]
    if not event_id:
        raise ServiceError("Each event has an event_id.", field="event_id")
    seen = FleetInboundEvent.objects.filter(company=company, event_id=event_id).first()
    if seen is not None:
        return seen.response
    try:
        with transaction.atomic():
            response = _apply(company, payload)
            FleetInboundEvent.objects.create(company=company, event_id=event_id, response=response)
    except IntegrityError:
        # The same event arrived twice at once: the other one's answer stands.
        return FleetInboundEvent.objects.get(company=company, event_id=event_id).response
    return response


def _apply(company: FleetCompany, payload: dict) -> dict:
    try:
        request_id = int(payload.get("request"))
    except (TypeError, ValueError):
        raise ServiceError("Name the request.", field="request") from None
    request = FleetRequest.objects.select_related("company").get(pk=request_id, company=company)
    by_name = str(payload.get("by") or company.name)[:160]
    kind = payload.get("type")
    if kind == "decision":
        decisions = payload.get("decisions")
        if not isinstance(decisions, list):
            raise ServiceError("decisions is a list.", field="decisions")
        request = fleet_request_decide(
            request=request,
            version=_int(payload.get("version")),
            decisions=decisions,
            by_name=by_name,
            note=str(payload.get("note") or ""),
        )
    elif kind == "note":
        line = payload.get("line")
        fleet_note_add(
            request=request,
            side="fleet",
            author=by_name,
            body=str(payload.get("body") or ""),
            line_key=_int(line) if line is not None else None,
        )
    else:
        raise ServiceError("type is decision or note.", field="type")
    return request_as_dict(request)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError("version is a number.", field="version") from None

"""Outbound webhooks: events to subscribed outside systems, signed, through the outbox.

An event (a work order created, changed, moved or closed; a vehicle changed; an
inspection completed; a fleet's decision) becomes one outbox message per
subscription, written in the transaction that made the change (so both are
saved or neither). The worker sends it after commit; a slow or dead receiver
only delays the worker, never the request.
Failures are retried with backoff by the outbox (outbox/services.py), whose
webhook transport (outbox/webhooks.py) posts each try with the headers below.

Each delivery is a POST of a JSON body with these headers:

- `X-Shop-Event`: the event code, e.g. `work_order.status_changed`
- `X-Shop-Event-Id`: unique per event and subscription, the same on every retry
  and redelivery (receivers drop repeats by it)
- `X-Shop-Timestamp`: Unix seconds when this try was signed
- `X-Shop-Signature`: `v1=` + hex HMAC-SHA256 of f"{timestamp}.{body}" keyed
  with the subscription's secret

A receiver recomputes the signature, compares in constant time, and refuses
timestamps more than five minutes old (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from integrations.models import WebhookEvent, WebhookSubscription
from outbox.errors import PermanentProviderError
from outbox.models import Channel, OutboundMessage

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 5 * 60


def sign(secret: str, timestamp: int, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return "v1=" + digest.hexdigest()


def verify(
    secret: str, *, timestamp: str, body: str, signature: str, now: float | None = None
) -> bool:
    """What a receiver does (and the tests' receiver): a good signature, not too old."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - stamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature or "")


# --- Emitting ------------------------------------------------------------------


def _subscribers_of(events: set[str]) -> list[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.filter(
        is_active=True, integration__revoked_at__isnull=True
    ).only("id", "url", "events")
    return [s for s in subscriptions if events & set(s.events)]


def _body(event_id: str, event: str, occurred_at, data: dict[str, Any]) -> str:
    return json.dumps(
        {"id": event_id, "event": event, "occurred_at": occurred_at, "data": data},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    )


class _TransactionEvents:
    """The created/changed events this transaction queued, by (event, subscription, record):
    a record saved again in the same transaction updates its waiting delivery, so a sync
    that saves a work order five times sends one "changed" (or one "created" carrying the
    final data). It is registered as an on-commit callback only to learn when the
    transaction ends: Django drops it from `run_on_commit` at commit or rollback (and with
    a rolled-back savepoint, whose deliveries are gone too)."""

    def __init__(self) -> None:
        self.messages: dict[tuple[str, int, int], int] = {}

    def __call__(self) -> None:
        pass


def _transaction_events() -> dict[tuple[str, int, int], int] | None:
    if not connection.in_atomic_block:
        return None  # autocommit: every save is its own transaction
    current = getattr(connection, "_webhook_events", None)
    if current is None or not any(entry[1] is current for entry in connection.run_on_commit):
        current = _TransactionEvents()
        connection._webhook_events = current
        transaction.on_commit(current)
    return current.messages


def _refresh(message_id: int, event: str, occurred_at, data: dict[str, Any]) -> bool:
    """Give a delivery still waiting the latest data (same event id); False if it left."""
    message = OutboundMessage.objects.filter(pk=message_id).only("idempotency_key", "body").first()
    if message is None:
        return False
    if json.loads(message.body)["data"].get("created") is True and "created" in data:
        data = {**data, "created": True}  # made in this transaction, then changed
    body = _body(event_id_of(message), event, occurred_at, data)
    waiting = OutboundMessage.objects.filter(pk=message_id, state=OutboundMessage.State.QUEUED)
    return waiting.update(body=body) == 1


def emit(
    event: str,
    data: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    about: int | None = None,
) -> list[OutboundMessage]:
    """Queue the event for every subscriber, in the caller's transaction.

    `data` may be a function, called only when someone subscribed (for data that costs a
    query to gather). With `about` (the record's id), a record's created and changed
    events are merged within the transaction (see `_TransactionEvents`).
    """
    from outbox.services import outbound_message_enqueue

    merges_into_created = about is not None and event == WebhookEvent.WORK_ORDER_CHANGED
    wanted = {event, WebhookEvent.WORK_ORDER_CREATED} if merges_into_created else {event}
    subscribers = _subscribers_of(wanted)
    if not subscribers:
        return []
    if callable(data):
        data = data()
    pending = _transaction_events() if about is not None else None
    occurred_at = timezone.now()
    messages = []
    for subscription in subscribers:
        if pending is not None:
            earlier = [WebhookEvent.WORK_ORDER_CREATED, event] if merges_into_created else [event]
            if any(
                _refresh(pending[key], key[0], occurred_at, data)
                for key in ((name, subscription.pk, about) for name in earlier)
                if key in pending
            ):
                continue
        if event not in subscription.events:
            continue  # subscribed to "created" only, and no creation is waiting
        event_id = str(uuid.uuid4())
        message = outbound_message_enqueue(
            channel=Channel.WEBHOOK,
            to=subscription.url,
            subject=event,
            body=_body(event_id, event, occurred_at, data),
            idempotency_key=f"webhook:{subscription.pk}:{event_id}",
            kind=OutboundMessage.Kind.SYSTEM,
            # The cause is the subscription, whose secret signs each try.
            cause=subscription,
            check_consent=False,
        )
        if pending is not None:
            pending[(event, subscription.pk, about)] = message.pk
        messages.append(message)
    return messages


# --- Signing (the worker) -------------------------------------------------------


def event_id_of(message: OutboundMessage) -> str:
    return message.idempotency_key.split(":")[2]


def signed_headers(message: OutboundMessage, body: bytes, timestamp: int) -> dict[str, str]:
    """This format's headers for one try (the outbox's webhook transport posts them)."""
    subscription = WebhookSubscription.objects.filter(pk=message.cause_id).first()
    if subscription is None or not subscription.is_active:
        raise PermanentProviderError("The webhook subscription was removed or turned off.")
    return {
        "X-Shop-Event": message.subject,
        "X-Shop-Event-Id": event_id_of(message),
        "X-Shop-Timestamp": str(timestamp),
        "X-Shop-Signature": sign(subscription.secret, timestamp, body.decode()),
    }


# --- Event receivers -------------------------------------------------------------
# Each receives a named event of the app that owns the record (workorders.events,
# customers.events, fleet.events), sent inside the transaction that made the change.


def _work_order_data(work_order) -> dict[str, Any]:
    cached_status = work_order._state.fields_cache.get("status")
    return {
        "id": work_order.pk,
        "url": f"/api/v1/work-orders/{work_order.pk}/",
        "status_id": work_order.status_id,
        "status_number": cached_status.number if cached_status is not None else None,
        "stage": work_order.stage,
        "customer_id": work_order.customer_id,
        "vehicle_id": work_order.vehicle_id,
        "odometer_in": work_order.odometer_in,
        "odometer_out": work_order.odometer_out,
        "updated_at": work_order.updated_at,
        "closed_at": work_order.closed_at,
    }


def on_work_order_created(sender, work_order, by=None, **kwargs) -> None:
    emit(WebhookEvent.WORK_ORDER_CREATED, _work_order_data(work_order), about=work_order.pk)


def on_work_order_changed(sender, work_order, **kwargs) -> None:
    emit(WebhookEvent.WORK_ORDER_CHANGED, _work_order_data(work_order), about=work_order.pk)


def on_status_changed(sender, work_order, from_status, to_status, by=None, **kwargs) -> None:
    data = _work_order_data(work_order)
    data.update(
        status_number=to_status.number,
        from_status_number=from_status.number if from_status is not None else None,
    )
    emit(WebhookEvent.WORK_ORDER_STATUS_CHANGED, data)


def on_work_order_closed(sender, work_order, by=None, **kwargs) -> None:
    emit(WebhookEvent.WORK_ORDER_CLOSED, _work_order_data(work_order))


def _vehicle_data(vehicle, *, created: bool) -> dict[str, Any]:
    return {
        "id": vehicle.pk,
        "url": f"/api/v1/vehicles/{vehicle.pk}/",
        "created": created,
        "customer_id": vehicle.customer_id,
        "vin": vehicle.vin,
        "plate": vehicle.plate,
        "is_active": vehicle.is_active,
    }


def on_vehicle_changed(sender, vehicle, created=False, **kwargs) -> None:
    emit(
        WebhookEvent.VEHICLE_CHANGED,
        about=vehicle.pk,
        data=_vehicle_data(vehicle, created=created),
    )


def on_vehicle_disabled_or_enabled(sender, vehicle, **kwargs) -> None:
    emit(WebhookEvent.VEHICLE_CHANGED, about=vehicle.pk, data=_vehicle_data(vehicle, created=False))


def on_vehicles_moved(sender, vehicle_ids, moved_rows=None, **kwargs) -> None:
    """Customers or vehicles combined, or a combine undone: vehicle.changed for each
    vehicle that changed, and work_order.changed for each work order moved to another
    customer or vehicle (or back)."""
    from customers.models import Vehicle
    from workorders.models import WorkOrder

    work_order_ids = (moved_rows or {}).get(WorkOrder._meta.label_lower, [])
    if vehicle_ids and _subscribers_of({WebhookEvent.VEHICLE_CHANGED}):
        for vehicle in Vehicle.objects.filter(pk__in=vehicle_ids).order_by("pk"):
            emit(
                WebhookEvent.VEHICLE_CHANGED,
                about=vehicle.pk,
                data=_vehicle_data(vehicle, created=False),
            )
    if work_order_ids and _subscribers_of(
        {WebhookEvent.WORK_ORDER_CHANGED, WebhookEvent.WORK_ORDER_CREATED}
    ):
        moved = WorkOrder.objects.filter(pk__in=work_order_ids).select_related("status")
        for work_order in moved.order_by("pk"):
            emit(
                WebhookEvent.WORK_ORDER_CHANGED,
                _work_order_data(work_order),
                about=work_order.pk,
            )


def _inspection_data(inspection) -> dict[str, Any]:
    counts = inspection.results.aggregate(
        **{rating: Count("id", filter=Q(rating=rating)) for rating in ("green", "yellow", "red")}
    )
    return {
        "id": inspection.pk,
        "url": f"/api/v1/inspections/{inspection.pk}/",
        "work_order_id": inspection.work_order_id,
        "work_order_url": f"/api/v1/work-orders/{inspection.work_order_id}/",
        "vehicle_id": inspection.vehicle_id,
        "sheet_name": inspection.sheet_name,
        "technician_id": inspection.technician_id,
        "started_at": inspection.started_at,
        "completed_at": inspection.completed_at,
        "counts": counts,
    }


def on_inspection_completed(sender, inspection, by=None, **kwargs) -> None:
    emit(WebhookEvent.INSPECTION_COMPLETED, lambda: _inspection_data(inspection))


def _job_decision(decisions: list[str]) -> str:
    if all(d == "approved" for d in decisions):
        return "approved"
    if all(d == "denied" for d in decisions):
        return "denied"
    if "pending" in decisions:
        return "pending"
    return "partial"


def _fleet_decision_data(request, version, state, decided_at, by) -> dict[str, Any]:
    from fleet.snapshots import snapshot_lines

    sent = snapshot_lines(version.snapshot)
    jobs: dict[Any, dict[str, Any]] = {}
    for line in version.lines.all():
        job_id = sent.get(line.line_key, {}).get("job_id")
        job = jobs.setdefault(job_id, {"job_id": job_id, "title": line.job_title, "lines": []})
        job["lines"].append(
            {
                "line_id": line.line_key,
                "description": line.description,
                "amount": str(line.amount),
                "decision": line.decision,
                "reason": line.reason,
                "decided_by": line.decided_by,
                "decided_at": line.decided_at,
            }
        )
    for job in jobs.values():
        job["decision"] = _job_decision([line["decision"] for line in job["lines"]])
    return {
        "id": request.pk,
        "url": f"/api/v1/fleet-requests/{request.pk}/",
        "work_order_id": request.work_order_id,
        "work_order_url": f"/api/v1/work-orders/{request.work_order_id}/",
        "company_id": request.company_id,
        "fleet_company_id": request.company.fleet_company_id,
        "version": version.number,
        "state": state,
        "decided_by": by,
        "decided_at": decided_at,
        "jobs": list(jobs.values()),
    }


def on_fleet_request_decided(
    sender, request, version, state, decided_at=None, by="", **kwargs
) -> None:
    emit(
        WebhookEvent.FLEET_DECISION,
        lambda: _fleet_decision_data(request, version, state, decided_at or timezone.now(), by),
    )


def connect() -> None:
    """Subscribe to the named events of the apps that own the records (never to a model's
    raw saves, which `.update()` and `bulk_update` skip)."""
    from customers import events as customer_events
    from fleet import events as fleet_events
    from workorders import events

    # work_order.created, .changed, .status_changed, .closed; inspection.completed
    events.work_order_created.connect(on_work_order_created, dispatch_uid="integrations.wo_created")
    events.work_order_changed.connect(on_work_order_changed, dispatch_uid="integrations.wo_changed")
    events.status_changed.connect(on_status_changed, dispatch_uid="integrations.wo_status")
    events.work_order_closed.connect(on_work_order_closed, dispatch_uid="integrations.wo_closed")
    events.inspection_completed.connect(
        on_inspection_completed, dispatch_uid="integrations.inspection_completed"
    )
    # vehicle.changed: one vehicle; or each of many, and work_order.changed for each
    # work order moved, by a combine or its undo
    customer_events.vehicle_changed.connect(
        on_vehicle_changed, dispatch_uid="integrations.vehicle_changed"
    )
    customer_events.vehicle_disabled.connect(
        on_vehicle_disabled_or_enabled, dispatch_uid="integrations.vehicle_disabled"
    )
    customer_events.vehicle_enabled.connect(
        on_vehicle_disabled_or_enabled, dispatch_uid="integrations.vehicle_enabled"
    )
    customer_events.customers_combined.connect(
        on_vehicles_moved, dispatch_uid="integrations.customers_combined"
    )
    customer_events.customers_combine_undone.connect(
        on_vehicles_moved, dispatch_uid="integrations.customers_combine_undone"
    )
    customer_events.vehicles_combined.connect(
        on_vehicles_moved, dispatch_uid="integrations.vehicles_combined"
    )
    customer_events.vehicles_combine_undone.connect(
        on_vehicles_moved, dispatch_uid="integrations.vehicles_combine_undone"
    )
    # fleet.decision
    fleet_events.fleet_request_decided.connect(
        on_fleet_request_decided, dispatch_uid="integrations.fleet_decision"
    )

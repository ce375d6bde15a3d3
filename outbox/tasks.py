"""Thin tasks: load by id, claim, call a service. See outbox/services.py."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True, ignore_result=True)
def send_outbound_message(self, message_id: int) -> str:
    """Send one outbox message; on a provider error, try again after the backoff."""
    from outbox.services import outbound_message_send

    while True:
        outcome = outbound_message_send(message_id=message_id)
        if outcome.retry_in is None:
            return outcome.state
        if not self.request.is_eager:
            # If this publish fails (broker down), the row is queued: the relay sends it.
            raise self.retry(countdown=outcome.retry_in)
        # Run in-process (no broker, no beat): nobody would run a later retry, so try
        # again now; OUTBOX_MAX_ATTEMPTS bounds the loop.


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_outbound_messages(self, message_ids: list[int]) -> dict:
    """Send the messages committed together; each one retries on its own after the backoff."""
    from outbox.services import outbound_message_send

    states: dict[str, int] = {}
    for message_id in message_ids:
        outcome = outbound_message_send(message_id=message_id)
        if outcome.retry_in is not None:
            _retry_later(self.request, message_id, outcome.retry_in)
        states[outcome.state] = states.get(outcome.state, 0) + 1
    return states


def _retry_later(request, message_id: int, delay: float) -> None:
    """One message of a batch failed: it retries alone, on the batch's queue."""
    if request.is_eager:
        send_outbound_message.apply((message_id,))
        return
    queue = (request.delivery_info or {}).get("routing_key")
    try:
        send_outbound_message.apply_async(
            (message_id,), countdown=delay, **({"queue": queue} if queue else {})
        )
    except Exception:
        # The row is queued with its next attempt time: the relay sends it.
        logger.warning("Could not schedule the retry of message %s", message_id, exc_info=True)


@shared_task(ignore_result=True)
def relay_outbound_messages() -> dict:
    """Beat, every 30 s: publish queued messages whose task never ran; settle stuck ones."""
    from outbox.services import outbound_relay

    return outbound_relay()

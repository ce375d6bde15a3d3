"""Thin tasks: load by id, claim, call a service. See messaging/services/outbox.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=None, acks_late=True, ignore_result=True)
def send_outbound_message(self, message_id: int) -> str:
    """Send one outbox message; on a provider error, try again after the backoff."""
    from messaging.services.outbox import outbound_message_send

    while True:
        outcome = outbound_message_send(message_id=message_id)
        if outcome.retry_in is None:
            return outcome.state
        if not self.request.is_eager:
            # If this publish fails (broker down), the row is queued: the relay sends it.
            raise self.retry(countdown=outcome.retry_in)
        # Run in-process (no broker, no beat): nobody would run a later retry, so try
        # again now; MESSAGING_MAX_ATTEMPTS bounds the loop.


@shared_task(ignore_result=True)
def relay_outbound_messages() -> dict:
    """Beat, every 30 s: publish queued messages whose task never ran; settle stuck ones."""
    from messaging.services.outbox import outbound_relay

    return outbound_relay()

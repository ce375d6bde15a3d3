"""Thin tasks: load by id, claim, call a service. See fleet/services/webhooks.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=5, acks_late=True, ignore_result=True)
def deliver_webhook(self, delivery_id: int) -> str:
    from fleet.services.webhooks import webhook_delivery_send

    outcome = webhook_delivery_send(delivery_id=delivery_id)
    if outcome == "retry" and not self.request.is_eager:
        raise self.retry(countdown=30 * (2**self.request.retries))
    return outcome

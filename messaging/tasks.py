"""Thin tasks of messaging. Texts and e-mails are sent by the outbox's tasks (outbox/tasks.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def prune_webhook_receipts() -> int:
    """Beat, daily: forget provider callbacks older than MESSAGING_WEBHOOK_RECEIPT_DAYS."""
    from datetime import timedelta

    from django.conf import settings

    from messaging.services.conversations import webhook_receipts_prune

    return webhook_receipts_prune(
        older_than=timedelta(days=settings.MESSAGING_WEBHOOK_RECEIPT_DAYS)
    )

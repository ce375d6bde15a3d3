"""Customer messages: texts that came in, opt-outs, and the customer's decisions on a link.

What the shop sends (texts, e-mails) is a row of the shared outbox
(outbox.models.OutboundMessage): written in the same transaction as whatever
caused it, sent after commit, picked up by the relay when the broker never got
it. See outbox/services.py for how a message is sent exactly once, and
messaging/services/outbox.py for the text and e-mail transports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class InboundMessage(models.Model):
    """A text a customer sent to the shop's number."""

    provider_message_id = models.CharField(max_length=100, unique=True)
    from_number = models.CharField(max_length=40)
    from_e164 = models.CharField(max_length=20, db_index=True)
    to_number = models.CharField(max_length=40, blank=True)
    body = models.TextField(blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    # "stop" or "start" when the text was an opt-out or opt-in keyword.
    keyword = models.CharField(max_length=10, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["customer"], condition=Q(read_at__isnull=True), name="inbound_unread"
            ),
            models.Index(fields=["customer", "-received_at"], name="inbound_customer"),
        ]

    def __str__(self) -> str:
        return f"Text from {self.from_number}"


class WebhookReceipt(models.Model):
    """Each provider callback accepted once: a replay of the same callback is refused."""

    key = models.CharField(max_length=200, unique=True)
    # Pruned after MESSAGING_WEBHOOK_RECEIPT_DAYS (messaging.tasks.prune_webhook_receipts).
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class SmsOptOut(models.Model):
    """A number that texted STOP: nothing goes to it, whoever's phone it is, until START."""

    e164 = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.e164


class DevSms(models.Model):
    """A text "sent" by the development backend, kept for the developer's page."""

    to = models.CharField(max_length=40)
    body = models.TextField()
    # The outbox's key: the development provider, like a real one, sends a key once.
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "development text"

    def __str__(self) -> str:
        return f"Text to {self.to}"


class ApprovalDecision(models.Model):
    """A customer's approve or decline of one job, from their link: when, from where."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="customer_decisions"
    )
    job = models.ForeignKey(
        "workorders.Job", on_delete=models.CASCADE, related_name="customer_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField("browser", max_length=400, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["job", "-decided_at"], name="decision_job")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.job_id}"

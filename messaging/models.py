"""Customer messages: the outbox, texts that came in, and the customer's decisions on a link.

The outbox is the single way a message leaves the shop. A row is written in the
same transaction as whatever caused it (a status change, an advisor's reply);
a Celery task sends it after commit, and a periodic relay picks up what the
broker never received. See messaging/services/outbox.py for how a message is
sent exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    SMS = "sms", "Text"
    EMAIL = "email", "E-mail"
    # Signed HTTP POSTs to an outside system (integrations/webhooks.py): `to` is the URL.
    WEBHOOK = "webhook", "Webhook"


class OutboundMessage(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Not delivered"
        FAILED = "failed", "Failed"
        # Never handed to a provider: the contact had revoked consent by send time.
        SUPPRESSED = "suppressed", "Not sent (no consent)"

    class Kind(models.TextChoices):
        STATUS_UPDATE = "status_update", "Status update"
        MANUAL = "manual", "Message from the shop"
        SYSTEM = "system", "Automatic reply"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    # E.164 phone number for texts, an address for e-mail.
    to = models.CharField(max_length=254)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Unique: a second enqueue with the same key returns the first message.
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True, db_index=True)
    # What caused the message: a status history row, a work order...
    cause_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cause_id = models.PositiveBigIntegerField(null=True, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the next try may start: creation, then each retry's backoff.
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The relay's two scans: queued past their time, sending past the timeout.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="queued"),
                name="outbound_queued_due",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="outbound_sending"
            ),
            models.Index(fields=["customer", "channel", "-created_at"], name="outbound_customer"),
            models.Index(fields=["cause_type", "cause_id"], name="outbound_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to} ({self.get_state_display()})"

    @property
    def is_final_failure(self) -> bool:
        return self.state in {self.State.FAILED, self.State.UNDELIVERED, self.State.SUPPRESSED}


class SendAttempt(models.Model):
    """One try at handing a message to its provider: the retry log the advisor can read."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    # Seconds until the next try, when one was scheduled.
    retry_in = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="send_attempt_number")
        ]

    def __str__(self) -> str:
        return f"Try {self.number} of message {self.message_id}"


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

"""The outbox's rows: one OutboundMessage per thing that leaves the shop, and its tries.

Texts and e-mails to customers, webhooks to integrations and to fleet networks are
all rows of this one table (see outbox/__init__.py). The tables were messaging's
until the outbox became its own app; their data moved with them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    """How a message leaves: each is a transport registered by the app that owns it."""

    # Registered by messaging: `to` is an E.164 phone number, or an e-mail address.
    SMS = "sms", "Text"
    EMAIL = "email", "E-mail"
    # Signed HTTP POSTs to an outside system (outbox/webhooks.py): `to` is the URL; the
    # signer is chosen by the message's cause (an integration's subscription, a fleet).
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
        """Who or what made the message: shown beside it in a conversation."""

        STATUS_UPDATE = "status_update", "Status update"
        MANUAL = "manual", "Message from the shop"
        SYSTEM = "system", "Automatic reply"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    # E.164 phone number for texts, an address for e-mail, a URL for a webhook.
    to = models.CharField(max_length=254)
    # The customer a text or e-mail is for (none for webhooks): a real foreign key, so a
    # customer's messages are one indexed join and survive the customer (SET_NULL).
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    # An e-mail's subject; a webhook's event code.
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Unique: a second enqueue with the same key returns the first message.
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True, db_index=True)
    # What caused the message: a status history row, a work order, the webhook
    # subscription or fleet company whose secret signs it...
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
    """One try at handing a message to its provider: the retry log the shop can read."""

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

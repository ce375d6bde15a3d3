"""Outside systems connected through the API, each with its own token.

A token is shown once, when it is made; only its SHA-256 is kept (a token is 32
random bytes, so a fast hash is as safe as a slow one and costs nothing per
request). Each integration acts through its own login (`user`): a service
account with no password and no role, whose security level is the one the
owner gives the integration. So the API's Set Security check (shop.security)
is the same for a token as for an employee, and whatever a service records as
"done by" names the integration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Integration(models.Model):
    class Access(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    name = models.CharField(max_length=100, unique=True)
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.READ)
    # The Set Security level the token acts at: 1 (owner) to 5; 3 is an advisor's.
    security_level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # The first characters of the token, to tell tokens apart on the page.
    token_prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Updated at most once a minute (integrations/authentication.py).
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(security_level__gte=1, security_level__lte=5),
                name="integration_level_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE


class WebhookEvent(models.TextChoices):
    WORK_ORDER_CREATED = "work_order.created", "Work order created"
    WORK_ORDER_CHANGED = "work_order.changed", "Work order changed"
    WORK_ORDER_STATUS_CHANGED = "work_order.status_changed", "Work order status changed"
    WORK_ORDER_CLOSED = "work_order.closed", "Work order closed (invoiced)"
    VEHICLE_CHANGED = "vehicle.changed", "Vehicle added or changed"
    INSPECTION_COMPLETED = "inspection.completed", "Inspection completed"
    FLEET_DECISION = "fleet.decision", "Fleet decision"


class WebhookSubscription(models.Model):
    """Where an integration wants to hear of events, and the secret its deliveries are signed with.

    Deliveries are outbox messages (outbox/, channel "webhook") whose cause is
    this subscription: they are sent by the worker and retried with backoff, and
    their tries are the delivery log.
    """

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField("receiver URL", max_length=254)
    # Event codes (WebhookEvent values).
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["integration", "url", "id"]

    def __str__(self) -> str:
        return f"{self.integration} → {self.url}"

    def event_labels(self) -> list[str]:
        from integrations.webhook_sources import webhook_event_choices

        labels = dict(webhook_event_choices())
        return [labels.get(code, code) for code in self.events]


class ExternalKey(models.Model):
    """An outside system's own id for one of our records (unique per integration and type).

    Sending the same external id again updates the record it points to instead
    of making a duplicate (integrations/sync.py).
    """

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="external_keys"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "content_type", "external_id"],
                name="external_key_unique_per_integration",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="external_key_object")]

    def __str__(self) -> str:
        return f"{self.integration}: {self.external_id}"

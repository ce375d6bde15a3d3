"""Fleet approval: fleet companies, their accounts and logins, and repair-order requests.

A fleet account is a customer whose invoice method is fleet approval; its work
orders are sent to the fleet company as a *request*. Each Submit Repair Order
freezes a *version* (a JSON snapshot of what was sent, plus one row per line);
the fleet decides each line of the current version. Older versions are kept,
superseded, so a decision on one of them is refused as a conflict.

Every write goes through fleet.services; the rules live there, not here.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from outbox.models import OutboundMessage


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class FleetCompany(models.Model):
    """A rental or fleet company that approves (and pays for) work on its vehicles."""

    name = models.CharField(max_length=160)
    # The ID the fleet network gave the shop for this fleet.
    fleet_company_id = models.CharField("Fleet Company ID", max_length=60, unique=True)
    # Requests whose total is at or under this approve themselves; 0 turns it off.
    auto_approve_limit = models.DecimalField(
        "auto-approve limit ($)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Requests at or under this total approve themselves. 0: never.",
    )
    # An outside fleet network: requests are posted here, signed with the secret.
    webhook_url = models.URLField("webhook URL", blank=True)
    webhook_secret = models.CharField(max_length=80, default=new_webhook_secret)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "fleet companies"

    def __str__(self) -> str:
        return f"{self.name} ({self.fleet_company_id})"


class FleetAccount(models.Model):
    """A customer account that belongs to a fleet company."""

    class InvoiceMethod(models.TextChoices):
        FLEET_APPROVAL = "fleet_approval", "Fleet approval"
        STANDARD = "standard", "Standard"

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="fleet_account"
    )
    company = models.ForeignKey(FleetCompany, on_delete=models.PROTECT, related_name="accounts")
    invoice_method = models.CharField(
        max_length=20, choices=InvoiceMethod.choices, default=InvoiceMethod.FLEET_APPROVAL
    )

    def __str__(self) -> str:
        return f"{self.customer} → {self.company.name}"


class FleetUser(models.Model):
    """A login (role "" and no security level) that decides for one fleet company."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fleet_user"
    )
    company = models.ForeignKey(FleetCompany, on_delete=models.CASCADE, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} ({self.company.name})"

    def clean(self) -> None:
        user = getattr(self, "user", None)
        if user is not None and (user.role or user.security_level is not None):
            raise ValidationError(
                {"user": "A fleet user's login has no role and no security level."}
            )


class RequestState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING = "awaiting", "Awaiting approval"
    APPROVED = "approved", "Approved"
    PARTIAL = "partial", "Partially approved"
    DENIED = "denied", "Denied"
    AUTO_APPROVED = "auto_approved", "Auto-approved"
    CANCELLED = "cancelled", "Cancelled"


class FleetRequest(models.Model):
    """A work order's repair-order request to its fleet (one per work order)."""

    work_order = models.OneToOneField(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="fleet_request"
    )
    company = models.ForeignKey(FleetCompany, on_delete=models.PROTECT, related_name="requests")
    state = models.CharField(
        max_length=16, choices=RequestState.choices, default=RequestState.DRAFT, db_index=True
    )
    # The number of the version the fleet decides now (0 while a draft).
    current_version = models.PositiveIntegerField(default=0)
    # Set when the work order is billed out under an approval that still matches it.
    invoice_approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["company", "state"], name="fleet_request_company_state"),
            # The API's cursor pages walk requests by (updated_at, id) for pollers.
            models.Index(fields=["updated_at", "id"], name="fleet_request_updated"),
        ]

    def __str__(self) -> str:
        return f"Fleet request for work order #{self.work_order_id}"


class FleetRequestVersion(models.Model):
    """What one Submit Repair Order sent, frozen."""

    request = models.ForeignKey(FleetRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    total = models.DecimalField(max_digits=12, decimal_places=2)
    state = models.CharField(max_length=16, choices=RequestState.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="fleet_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.request}"


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


class FleetRequestLine(models.Model):
    """One work-order line as sent in a version, and the fleet's decision on it."""

    version = models.ForeignKey(FleetRequestVersion, on_delete=models.CASCADE, related_name="lines")
    # The live line; null once the shop removes it (the snapshot keeps what was sent).
    line = models.ForeignKey(
        "workorders.Line", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    line_key = models.PositiveBigIntegerField()
    job_title = models.CharField(max_length=160)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.CharField(max_length=160, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "line_key"], name="fleet_line_once")
        ]

    def __str__(self) -> str:
        return self.description


class FleetNote(models.Model):
    """Fleet Communication: a note from the shop or the fleet, on the request or one line."""

    class Side(models.TextChoices):
        SHOP = "shop", "Shop"
        FLEET = "fleet", "Fleet"

    request = models.ForeignKey(FleetRequest, on_delete=models.CASCADE, related_name="notes")
    version_number = models.PositiveIntegerField(default=0)
    # Empty for a note on the whole request.
    line_key = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    line_description = models.CharField(max_length=200, blank=True)
    side = models.CharField(max_length=5, choices=Side.choices)
    author = models.CharField(max_length=160)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class FleetInboundEvent(models.Model):
    """An event id the outside fleet network already sent: a replay answers the same, once."""

    company = models.ForeignKey(FleetCompany, on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=100)
    response = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "event_id"], name="fleet_inbound_once")
        ]

    def __str__(self) -> str:
        return self.event_id


class FleetWebhookManager(models.Manager):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(cause_type__app_label="fleet", cause_type__model="fleetcompany")
        )


class FleetWebhook(OutboundMessage):
    """The outbox's webhooks to fleet networks (their cause is the company): the fleet's log.

    A proxy: the rows are the shop's outbox (outbox.models.OutboundMessage), written by
    fleet.services.requests.webhook_enqueue with the change.
    """

    objects = FleetWebhookManager()

    class Meta:
        proxy = True
        verbose_name = "fleet webhook"


class UnapprovedBillOut(models.Model):
    """A fleet work order billed out without a matching approval (needs its own function)."""

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="fleet_unapproved_bill_outs"
    )
    company = models.ForeignKey(FleetCompany, on_delete=models.PROTECT, related_name="+")
    request_state = models.CharField(max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Work order #{self.work_order_id} billed out unapproved"

"""Work orders: the shop's statuses, work orders with their jobs and lines, packages, appointments.

A work order is an estimate, a repair order or an invoice depending on its
status's number and the stage ranges in WorkOrderSettings. Every write goes
through workorders.services; the rules live there, not here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

ZERO = Decimal("0.00")
money_validators = [MinValueValidator(Decimal("0"))]
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is written like #1d4ed8.")


def money_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Stage(models.TextChoices):
    ESTIMATE = "estimate", "Estimate"
    REPAIR_ORDER = "repair_order", "Repair order"
    INVOICE = "invoice", "Invoice"


class WorkOrderSettings(models.Model):
    """The shop's work-order settings. One row (pk=1): selectors.workorder_settings_get()."""

    estimate_from = models.PositiveSmallIntegerField(default=1)
    estimate_to = models.PositiveSmallIntegerField(default=5)
    repair_order_from = models.PositiveSmallIntegerField(default=6)
    repair_order_to = models.PositiveSmallIntegerField(default=16)
    invoice_from = models.PositiveSmallIntegerField(default=17)
    invoice_to = models.PositiveSmallIntegerField(default=17)
    # "Default Part # for Labor Parts": the labor line added when a part arrives
    # on a work order that has no labor line of the part's category.
    labor_part_number = models.CharField(
        "default part # for labor parts", max_length=40, default="LABOR"
    )
    labor_description = models.CharField(max_length=200, default="Labor")
    labor_hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("1.00"), validators=money_validators
    )
    # Empty: the shop's labor rate (shop settings).
    labor_rate = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    # Today's Vehicles Page: a Count Down card turns orange under this many minutes left.
    board_warning_minutes = models.PositiveSmallIntegerField(
        "orange when less than (minutes)",
        default=15,
        help_text="Today's Vehicles Page: a Count Down timer turns orange when less time is left.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "work order settings"
        verbose_name_plural = "work order settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="workorder_settings_one_row")]

    def __str__(self) -> str:
        return "Work order settings"

    @property
    def ranges(self) -> list[tuple[str, int, int]]:
        return [
            (Stage.ESTIMATE, self.estimate_from, self.estimate_to),
            (Stage.REPAIR_ORDER, self.repair_order_from, self.repair_order_to),
            (Stage.INVOICE, self.invoice_from, self.invoice_to),
        ]

    def stage_for(self, number: int) -> str | None:
        for stage, low, high in self.ranges:
            if low <= number <= high:
                return stage
        return None


class Status(models.Model):
    """One of the shop's own statuses. Its number decides the stage."""

    class TimeDisplay(models.TextChoices):
        OPEN = "open", "Open"
        COUNT_DOWN = "count_down", "Count Down"
        COUNT_UP = "count_up", "Count Up"

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=7, default="#1d4ed8", validators=[colour_validator])
    time_display = models.CharField(
        max_length=12, choices=TimeDisplay.choices, default=TimeDisplay.OPEN
    )
    default_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="For Count Down: the time allowed in this status."
    )
    send_customer_update = models.BooleanField(
        default=False, help_text="Entering this status sends the customer a text or e-mail."
    )
    message_template = models.TextField(
        blank=True,
        help_text="The update's text. Placeholders: {customer}, {vehicle}, {status}, {shop}.",
    )
    # Today's Vehicles Page shows the status's name and colour: its refresh looks at this.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "statuses"

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Package(models.Model):
    """A canned job: labor and parts inserted together as one job."""

    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LineKind(models.TextChoices):
    LABOR = "labor", "Labor"
    PART = "part", "Part"
    FEE = "fee", "Fee"
    SUBLET = "sublet", "Sublet"


# Parts and shop fees are taxed; labor and sublet are not, by default. Each
# line keeps its own `taxable` flag, so a shop in a state that taxes labor
# ticks it (or changes this default) without touching the totals code.
TAXABLE_BY_DEFAULT = {
    LineKind.LABOR: False,
    LineKind.PART: True,
    LineKind.FEE: True,
    LineKind.SUBLET: False,
}


class PackageLine(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    part_number = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, validators=money_validators)
    unit_cost = money_field(validators=money_validators)
    # Empty for labor: the shop's labor rate at the time the package is used.
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class WorkOrder(models.Model):
    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="work_orders"
    )
    vehicle = models.ForeignKey(
        "customers.Vehicle", on_delete=models.PROTECT, related_name="work_orders"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advised_work_orders",
    )
    default_technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_tech_work_orders",
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="work_orders")
    # Kept in step with the status number by the services, so lists filter on it.
    stage = models.CharField(max_length=12, choices=Stage.choices, db_index=True)
    status_entered_at = models.DateTimeField()
    # Count Down: the time allowed for this vehicle in its current status, set from the
    # status's default when the status is entered and changed on the board's card.
    countdown_minutes = models.PositiveIntegerField("count down (minutes)", null=True, blank=True)
    concern = models.TextField("customer's concern", blank=True)
    odometer_in = models.PositiveIntegerField(null=True, blank=True)
    odometer_out = models.PositiveIntegerField(null=True, blank=True)
    promised_at = models.DateTimeField("promised", null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    # Optimistic locking: every save names the version it started from.
    version = models.PositiveIntegerField(default=1)
    # Totals, recomputed by the services after every change and frozen on close.
    labor_total = money_field()
    parts_total = money_field()
    fees_total = money_field()
    sublet_total = money_field()
    discount_total = money_field()
    taxable_total = money_field()
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("0.000"))
    tax_total = money_field()
    grand_total = money_field()
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_work_orders",
    )

    # The figures the services recompute after every change and freeze at bill-out.
    TOTAL_FIELDS = (
        "labor_total",
        "parts_total",
        "fees_total",
        "sublet_total",
        "discount_total",
        "taxable_total",
        "tax_rate",
        "tax_total",
        "grand_total",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["vehicle", "-created_at"], name="workorder_vehicle_created"),
            models.Index(fields=["customer", "-created_at"], name="workorder_customer_created"),
            models.Index(fields=["stage", "-created_at"], name="workorder_stage_created"),
            # Pollers walk work orders changed since a time (the integrations' read-back).
            models.Index(fields=["updated_at", "id"], name="workorder_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def subtotal(self) -> Decimal:
        return (
            self.labor_total
            + self.parts_total
            + self.fees_total
            + self.sublet_total
            - self.discount_total
        )


class ApprovalMethod(models.TextChoices):
    """How a job's approval (or refusal) reached the shop."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text"
    EMAIL = "email", "E-mail"
    LINK = "link", "Customer link"
    FLEET = "fleet", "Fleet"
    # The estimate became a repair order: the customer's authorization of that estimate.
    ESTIMATE = "estimate", "Estimate authorized"
    # Sent by an outside system (sync) as a repair order or invoice: its record of approval.
    INTEGRATION = "integration", "Outside system"


# What an employee records in the editor; the others are written by their own flows.
SHOP_RECORDED_METHODS = (
    ApprovalMethod.IN_PERSON,
    ApprovalMethod.PHONE,
    ApprovalMethod.TEXT,
    ApprovalMethod.EMAIL,
)


class Job(models.Model):
    """A group of lines of one category, with its technician and notes."""

    class Approval(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="jobs")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=160)
    category = models.CharField(max_length=60)
    package = models.ForeignKey(
        Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Empty: the work order's default technician.
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    customer_notes = models.TextField("customer-facing notes", blank=True)
    internal_notes = models.TextField(blank=True)
    # The latest decision of the job's approval trail (JobApproval): what, who gave it,
    # how and when. Written only by services.job_approval_set, with its trail row.
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.PENDING)
    approval_by = models.CharField(max_length=160, blank=True)
    approval_at = models.DateTimeField(null=True, blank=True)
    approval_method = models.CharField(max_length=12, choices=ApprovalMethod.choices, blank=True)
    # Set by the technician's tablet view when the work is finished.
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Line(models.Model):
    """A labor, part, fee or sublet line. Quantity is hours for labor; price is the rate."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="lines")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    category = models.CharField(max_length=60)
    part_number = models.CharField("part #", max_length=40, blank=True)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, validators=money_validators)
    unit_cost = money_field(validators=money_validators)
    unit_price = money_field(validators=money_validators)
    discount = money_field(validators=money_validators)
    taxable = models.BooleanField()
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="labor_lines",
    )
    # quantity × unit price, rounded once to the cent (ROUND_HALF_UP), before discount.
    amount = money_field()
    # Added by the labor-line rule rather than typed.
    added_by_rule = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["work_order", "kind", "category"], name="line_wo_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="line_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(discount__lte=models.F("amount")), name="line_discount_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.discount


class StatusChange(models.Model):
    """The status history: who moved the work order, when, from what, to what, and
    how long it had spent in the previous status. Reopening an invoice is recorded here too."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        REOPENED = "reopened", "Reopened"

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="status_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGED)
    from_status = models.ForeignKey(
        Status, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    seconds_in_previous = models.PositiveIntegerField(null=True, blank=True)
    # Count Down: the time allowed in `to_status` for this vehicle (kept up to date while
    # the work order is in it; the board's card changes it).
    countdown_minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Appointment(models.Model):
    starts_at = models.DateTimeField(db_index=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="appointments"
    )
    vehicle = models.ForeignKey(
        "customers.Vehicle", on_delete=models.PROTECT, related_name="appointments"
    )
    concern = models.TextField()
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    work_order = models.OneToOneField(
        WorkOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    # A cancelled appointment stays on the day's list (who cancelled, why) but leaves the board.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        # In the shop's time zone: the stored time is UTC.
        starts = timezone.localtime(self.starts_at, timezone.get_default_timezone())
        return f"{date_format(starts, 'M j, Y g:i A')} {self.vehicle}"

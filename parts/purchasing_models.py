"""Purchase orders to vendors, what arrived against them, what went back (returns to the
vendor, cores returned, with the credit noted), and the physical count's sheets.

Loaded by parts.models (Django finds the app's models there). Every write goes through
parts.services.purchasing and parts.services.counting.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


def _money(verbose_name: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def _quantity(verbose_name: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


class PurchaseOrder(models.Model):
    """An order to one vendor. Lines are changed only while it is a draft; once sent it is
    received (in full or in part) or cancelled."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        PARTIAL = "partial", "Partly received"
        RECEIVED = "received", "Received"
        CANCELLED = "cancelled", "Cancelled"

    vendor = models.ForeignKey(
        "parts.Vendor", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    # Where it came from: reorder suggestions, or a repair order's special-order parts.
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchase_orders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The e-mail to the vendor, when the order went by e-mail (an outbox row).
    emailed_to = models.CharField(max_length=254, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "vendor"], name="po_status_vendor")]

    def __str__(self) -> str:
        return f"PO #{self.pk} to {self.vendor}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SENT, self.Status.PARTIAL)


OPEN_STATUSES = (
    PurchaseOrder.Status.DRAFT,
    PurchaseOrder.Status.SENT,
    PurchaseOrder.Status.PARTIAL,
)


class PurchaseOrderLine(models.Model):
    """One part ordered: how many, at what cost, and how many arrived so far (kept by the
    receiving service, the sum of the line's receipts)."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    part = models.ForeignKey("parts.Part", on_delete=models.PROTECT, related_name="order_lines")
    vendor_number = models.CharField("vendor's part #", max_length=40, blank=True)
    description = models.CharField(max_length=200)
    quantity_ordered = _quantity("ordered")
    unit_cost = _money("unit cost")
    quantity_received = _quantity("received")
    # A special order: the repair order's line the part is for (its card shows "parts
    # arrived" when it comes in). The work order is kept too, should the line be removed.
    work_order_line = models.ForeignKey(
        "workorders.Line", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["purchase_order", "id"]
        indexes = [models.Index(fields=["work_order"], name="poline_work_order")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_ordered__gt=0), name="poline_qty_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="poline_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(quantity_received__gte=0), name="poline_received_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity_ordered} × {self.description}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.quantity_ordered - self.quantity_received, ZERO)

    @property
    def amount(self) -> Decimal:
        return (self.quantity_ordered * self.unit_cost).quantize(Decimal("0.01"))


class PurchaseOrderReceipt(models.Model):
    """Parts that arrived against a line. `over_ordered` records a receipt beyond what was
    ordered, which is taken only when the person confirmed it."""

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipts")
    quantity = _quantity("quantity")
    unit_cost = _money("unit cost")
    over_ordered = _quantity("beyond the order")
    # The `received` stock movement (none for a non-stock part: it never sits on the shelf).
    movement = models.OneToOneField(
        "parts.StockMovement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="poreceipt_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} received on line {self.line_id}"


class VendorCredit(models.Model):
    """Parts returned to the vendor, or cores returned, and the credit the vendor owes."""

    class Kind(models.TextChoices):
        RETURN = "return", "Returned to vendor"
        CORE = "core", "Core returned"

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="credits"
    )
    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="credits")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    quantity = _quantity("quantity")
    unit_credit = _money("credit each")
    amount = _money("credit")
    reason = models.CharField(max_length=200, blank=True)
    # A return takes the parts off the shelf (a `to_vendor` movement); a core does not.
    movement = models.OneToOneField(
        "parts.StockMovement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="vendorcredit_qty_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="vendorcredit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity} on line {self.line_id}"


class CountSheet(models.Model):
    """A printed count sheet: the parts of one bin (or bins starting with it) or one
    category, frozen when it is made. Its counts are posted once, together."""

    class By(models.TextChoices):
        BIN = "bin", "Bin"
        CATEGORY = "category", "Category"

    by_what = models.CharField(max_length=8, choices=By.choices)
    value = models.CharField(max_length=60)
    parts = models.ManyToManyField("parts.Part", through="CountSheetLine", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Count sheet #{self.pk} ({self.get_by_what_display().lower()} {self.value})"


class CountSheetLine(models.Model):
    sheet = models.ForeignKey(CountSheet, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey("parts.Part", on_delete=models.PROTECT, related_name="+")
    # Filled when the sheet is posted: what was counted and the movement of the variance.
    counted = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    movement = models.OneToOneField(
        "parts.StockMovement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "part"], name="countsheet_part_once"),
        ]

    def __str__(self) -> str:
        return f"Part {self.part_id} on count sheet {self.sheet_id}"

"""Parts: the catalog (parts, labor, fee and sublet items), vendors with their own numbers
and costs, the shop's pricing matrix, the catalog part behind a work-order line, and stock
movements (on hand is their sum, never a stored count).

Parts sits above workorders: it points at work orders and their lines, never the other way
round. Every write goes through parts.services; the rules live there, not here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower

from workorders.models import LineKind

ZERO = Decimal("0.00")
not_negative = [MinValueValidator(Decimal("0"))]


def money_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def quantity_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


def number_key(number: str) -> str:
    """A part number as the search compares it: upper case, without dashes, spaces, dots
    or slashes, so "bp-d1210", "BP D1210" and "BPD1210" are one number."""
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper())


class Vendor(models.Model):
    """A supplier the shop buys parts from."""

    name = models.CharField(max_length=120, unique=True)
    account_number = models.CharField("our account number", max_length=60, blank=True)
    contact_name = models.CharField("contact", max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    # The import that created the vendor from an old system's parts ("imports.run:12"), so
    # that undoing it removes the vendor again; "" for vendors entered here.
    imported_from = models.CharField(max_length=40, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Part(models.Model):
    """One item of the catalog: a part, or a labor, fee or sublet item (kind).

    The selling price comes from `cost` through the pricing matrix unless `fixed_price`
    is set (labor, fees and sublet usually have one). `average_cost` values the stock.
    """

    number = models.CharField("part #", max_length=40)
    # Kept by parts.services: the number without dashes and spaces, what the search compares.
    number_key = models.CharField(max_length=40, unique=True)
    description = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.PART)
    # The same free categories as jobs ("Brakes", "Maintenance"): the line's labor-line rule.
    category = models.CharField(max_length=60, blank=True)
    brand = models.CharField(max_length=60, blank=True)
    cost = money_field("cost", validators=not_negative)
    average_cost = money_field("average cost", validators=not_negative)
    list_price = models.DecimalField(
        "list price", max_digits=12, decimal_places=2, null=True, blank=True,
        validators=not_negative,
    )  # fmt: skip
    fixed_price = models.DecimalField(
        "fixed price", max_digits=12, decimal_places=2, null=True, blank=True,
        validators=not_negative,
        help_text="Empty: the price comes from the cost through the pricing matrix.",
    )  # fmt: skip
    core_charge = money_field("core charge", validators=not_negative)
    taxable = models.BooleanField(default=True)
    stocked = models.BooleanField(
        default=True, help_text="Kept on the shelf. A non-stock part is ordered when needed."
    )
    bin_location = models.CharField("bin", max_length=30, blank=True)
    reorder_point = quantity_field("reorder point", validators=not_negative)
    reorder_quantity = quantity_field("reorder quantity", validators=not_negative)
    is_active = models.BooleanField("active", default=True)
    # Kept by the database: the one lower-case column the word search looks in (on
    # PostgreSQL through the GIN index of its words, migration 0006).
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "number_key", Value(" "), "number", Value(" "), "description", Value(" "), "brand"
            )
        ),
        output_field=models.CharField(max_length=400),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number_key"]
        indexes = [
            models.Index(fields=["category", "number_key"], name="part_category_number"),
            models.Index(fields=["bin_location", "number_key"], name="part_bin_number"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="part_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(fixed_price__isnull=True) | Q(fixed_price__gte=0),
                name="part_fixed_price_not_negative",
            ),
            models.CheckConstraint(condition=Q(core_charge__gte=0), name="part_core_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description}"


class VendorPart(models.Model):
    """A vendor's own number for a part and what that vendor charges for it."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="vendor_parts")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="vendor_parts")
    vendor_number = models.CharField("vendor's part #", max_length=40)
    vendor_number_key = models.CharField(max_length=40, db_index=True)
    cost = money_field("vendor's cost", validators=not_negative)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor__name", "vendor_number_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "vendor_number_key"], name="vendorpart_number_once_per_vendor"
            ),
            models.UniqueConstraint(fields=["vendor", "part"], name="vendorpart_part_once"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="vendorpart_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.vendor_number}"


class PricingBand(models.Model):
    """One band of the shop's parts pricing matrix: parts costing from `cost_from` up to
    (not including) `cost_to` sell with this markup or margin. The last band has no end.
    The bands are written together by services.pricing_matrix_set, which refuses gaps and
    overlaps."""

    class Method(models.TextChoices):
        MARKUP = "markup", "Markup"
        MARGIN = "margin", "Margin"

    cost_from = money_field("cost from", validators=not_negative)
    cost_to = models.DecimalField("up to", max_digits=12, decimal_places=2, null=True, blank=True)
    method = models.CharField(max_length=6, choices=Method.choices, default=Method.MARKUP)
    percent = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["cost_from"]

    def __str__(self) -> str:
        end = f"${self.cost_to}" if self.cost_to is not None else "and up"
        return f"${self.cost_from}–{end}: {self.get_method_display().lower()} {self.percent}%"


class PartLine(models.Model):
    """The catalog part a work-order line came from.

    Kept here, beside the line, so that workorders has no key into parts (parts sits above
    it): written by services.part_line_add, which adds the line through workorders' own
    line service. `catalog_price` is what the catalog asked when the line was added; a line
    whose price differs was priced by hand (an override, shown as such). `core_line` is the
    core charge line that came with the part.
    """

    line = models.OneToOneField(
        "workorders.Line", on_delete=models.CASCADE, related_name="part_line"
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="part_lines")
    catalog_price = money_field("catalog price")
    core_line = models.OneToOneField(
        "workorders.Line", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.part.number} on line {self.line_id}"


class StockMovement(models.Model):
    """One change of a part's stock. Never edited nor deleted (on PostgreSQL a trigger
    refuses it): on hand is the sum of `quantity` over a part's movements."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        SOLD = "sold", "Sold"
        RETURNED = "returned", "Returned"
        ADJUSTED = "adjusted", "Adjusted"
        COUNTED = "counted", "Counted"
        # Sent back to the vendor against a purchase order (parts.services.purchasing).
        TO_VENDOR = "to_vendor", "Returned to vendor"

    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Signed: a sale is negative, a receipt positive; a count is the difference it found.
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    unit_cost = money_field("unit cost")
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["part", "at"], name="movement_part_at"),
            models.Index(fields=["work_order", "part"], name="movement_work_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.part_id}"


class PriceFileMapping(models.Model):
    """The columns of a vendor's price file, saved for its next file: {field: header}."""

    vendor = models.OneToOneField(
        Vendor, on_delete=models.CASCADE, related_name="price_file_mapping"
    )
    columns = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.vendor}'s price file columns"


class PriceFileRun(models.Model):
    """One vendor price file: uploaded, checked by a dry run (its bad rows with line,
    column and why), then applied by a background job with its progress on the row
    (parts.services.price_files)."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKED = "checked", "Dry run done"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        FAILED = "failed", "Stopped"
        DONE = "done", "Imported"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="price_files")
    file = models.FileField(upload_to="parts/price-files/%Y/%m/")
    original_name = models.CharField(max_length=255)
    encoding = models.CharField(max_length=20)
    delimiter = models.CharField(max_length=2)
    headers = models.JSONField(default=list)
    # {field: header} used by the dry run and the apply.
    columns = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    # The dry run: rows read, bad rows, the first problems ([line, column, why]) and a
    # problem with the whole file (a required column not mapped, the wrong encoding).
    rows = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    file_error = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    skip_bad_rows = models.BooleanField(default=False)
    # The apply job: rows to write, rows written, the file line reached (a resumed job
    # starts after it) and what it wrote ({"created": n, "updated": n, "unchanged": n}).
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.original_name}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def is_working(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.RUNNING}

    @property
    def encoding_name(self) -> str:
        return {"cp1252": "Windows-1252"}.get(self.encoding, "UTF-8")


# Purchase orders, receipts, vendor credits and count sheets (their own module).
from parts.purchasing_models import (  # noqa: E402, F401
    CountSheet,
    CountSheetLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderReceipt,
    VendorCredit,
)

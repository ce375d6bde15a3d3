"""Reports and marketing: customer-source categories, marketing spend, report settings, and
the frozen figures of every billed-out invoice that the reports add up.

`InvoiceSummary` and `TechnicianSummary` are written only by reports.services from the work
order's lines when it is billed out (the work orders' `work_order_closed` event) and removed
when it is reopened. They hold what is frozen on an invoice (totals, costs, hours, advisor,
odometer), and the invoice's customer and vehicle so that the reports need not read the work
orders table. Combine Customers and Combine Vehicles move every row that points at the
record they merge (customers/services/combine.py), these included, so they stay right.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


def money_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class SourceCategory(models.Model):
    """A main category of customer sources (Internet, Referral, ...) for the reports."""

    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    # "Customer Source Mapping Done" sends every unmapped source here (Other New Customers).
    receives_unmapped = models.BooleanField(
        "receives unmapped sources",
        default=False,
        help_text="“Customer Source Mapping Done” maps every unmapped source to this category.",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "source categories"
        constraints = [
            models.UniqueConstraint(
                fields=["receives_unmapped"],
                condition=Q(receives_unmapped=True),
                name="reports_one_category_receives_unmapped",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SourceMapping(models.Model):
    """Which category a counter's customer source belongs to."""

    source = models.OneToOneField(
        "customers.CustomerSource",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_mapping",
    )
    category = models.ForeignKey(SourceCategory, on_delete=models.PROTECT, related_name="mappings")
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapped_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.source_id} → {self.category}"


class MarketingSpend(models.Model):
    """What the shop spent on one customer source in one month."""

    source = models.ForeignKey(
        "customers.CustomerSource", on_delete=models.CASCADE, related_name="marketing_spend"
    )
    month = models.DateField(help_text="The first day of the month.")
    amount = money_field(validators=[MinValueValidator(Decimal("0"))])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "source_id"]
        verbose_name_plural = "marketing spend"
        constraints = [
            models.UniqueConstraint(fields=["source", "month"], name="reports_spend_source_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.source_id}: {self.amount}"


class SourceWarningDismissal(models.Model):
    """An employee said "don't show again" to one of the two source-mapping warnings."""

    class Warning(models.TextChoices):
        NONE_MAPPED = "none_mapped", "No customer source is mapped"
        SOME_MAPPED = "some_mapped", "Some customer sources are not mapped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_warning_dismissals"
    )
    warning = models.CharField(max_length=20, choices=Warning.choices)
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "warning"], name="reports_dismissal_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.warning}"


class ReportSettings(models.Model):
    """The reports' settings. One row (pk=1), read with selectors.report_settings_get()."""

    # Where each mileage band ends: 30000,60000 gives 0-29,999 / 30,000-59,999 / 60,000 and up.
    mileage_bands = models.CharField(
        max_length=200,
        default="30000,60000,90000,120000,150000",
        help_text="Where each mileage band starts, in miles, separated by commas.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "report settings"
        verbose_name_plural = "report settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="reports_settings_one_row")]

    def __str__(self) -> str:
        return "Report settings"

    @property
    def band_starts(self) -> list[int]:
        return [int(part) for part in self.mileage_bands.split(",") if part.strip()]


class InvoiceSummary(models.Model):
    """One billed-out invoice's frozen figures. Sales are after line discounts, before tax."""

    work_order = models.OneToOneField(
        "workorders.WorkOrder",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_summary",
    )
    closed_at = models.DateTimeField()
    # Indexed by reports_invoice_customer (customer, closed_at), which also serves lookups by
    # customer alone and answers "an invoice before the period?" from the index only.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="report_invoices",
        db_index=False,
    )
    vehicle = models.ForeignKey(
        "customers.Vehicle", on_delete=models.CASCADE, related_name="report_invoices"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Odometer out (in, when out was not written): the vehicle's mileage for this visit.
    odometer = models.PositiveIntegerField(null=True, blank=True)
    invoice_total = money_field()
    sales = money_field()
    cost = money_field()
    labor_sales = money_field()
    labor_cost = money_field()
    parts_sales = money_field()
    parts_cost = money_field()
    hours_sold = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = "invoice figures"
        verbose_name_plural = "invoice figures"
        indexes = [
            models.Index(fields=["closed_at"], name="reports_invoice_closed"),
            # "Had this customer an invoice before the period?" for the Customer Source report.
            models.Index(fields=["customer", "closed_at"], name="reports_invoice_customer"),
        ]

    def __str__(self) -> str:
        return f"Invoice #{self.work_order_id}"


class TechnicianSummary(models.Model):
    """One technician's labor on one billed-out invoice."""

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="report_technicians"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField()
    hours_sold = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    labor_sales = money_field()
    labor_cost = money_field()

    class Meta:
        indexes = [models.Index(fields=["closed_at"], name="reports_tech_closed")]

    def __str__(self) -> str:
        return f"Invoice #{self.work_order_id}: {self.technician_id}"

"""Money: the ledger of immutable entries, the payments they belong to, drawers, A/R accounts.

Sign convention: an entry's `amount` is what it adds to what the customer owes. An
invoice charge, a refund and a finance charge are positive; a payment is negative; a
reversal is the opposite of the entry it reverses. Every balance is a sum of entries
(payments.selectors), never a stored figure.

An entry belongs to one "bucket" of the customer's account: a work order (its invoice,
or a deposit taken before bill-out, or payments kept after a reopen) or, with
`work_order` empty, the customer's unapplied credit. Moving money between buckets (a
payment on account applied to invoices, an overpayment kept as credit) is a pair of
"credit applied" entries of opposite signs, so the customer's balance never moves.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


def money_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Tender(models.TextChoices):
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    CARD = "card", "Card"
    OTHER = "other", "Other"
    ONLINE = "online", "Online (pay by link)"


class Drawer(models.Model):
    """A cash drawer (a till): End of Day closes each drawer's day on its own."""

    name = models.CharField(max_length=60, unique=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """Money taken at one time: one or several tenders (its PAYMENT ledger entries).

    At an invoice (`work_order` set, kind invoice), as a deposit on an estimate or repair
    order (kind deposit, applied when it is billed out), or on account (kind on_account:
    applied to chosen or the oldest open invoices, the rest kept as credit). Written
    once; a void is reversing entries, never a change here.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice payment"
        DEPOSIT = "deposit", "Deposit"
        ON_ACCOUNT = "on_account", "Payment on account"

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="payments"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = money_field(help_text="What the tenders add up to (change given back excluded).")
    change_due = money_field(default=ZERO)
    drawer = models.ForeignKey(Drawer, on_delete=models.PROTECT, related_name="payments")
    business_date = models.DateField(db_index=True)
    note = models.CharField(max_length=300, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["customer", "-taken_at"], name="payment_customer_taken")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(change_due__gte=0), name="payment_change_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Payment #{self.pk}"


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(
            "Ledger entries are never updated: write a reversing entry (payments.services)."
        )

    def delete(self):
        raise TypeError("Ledger entries are never deleted: write a reversing entry.")


class LedgerEntry(models.Model):
    """One money event on a customer's account. Never updated, never deleted.

    A mistake is corrected by a REVERSAL entry (`reverses` names the entry, its amount is
    the opposite); a reopened invoice's charge is reversed the same way, and billing it
    out again writes a new charge, so the payments already on the work order count
    towards the new invoice.

    The one update allowed is the owner's move of Combine Customers
    (customers/services/combine.py): it moves every row pointing at the merged customer
    to the survivor, found generically through `_meta.related_objects`, through a
    ChangeSet so its undo brings each row back as it was. It changes only `customer_id`:
    the money, the dates and the links stay exactly as written, so both customers'
    histories stay true (the survivor's is the sum of both). It writes through the base
    manager's `update()`; this model's own manager and `save()` refuse every other update,
    and on PostgreSQL a trigger (migration 0001) refuses any UPDATE that changes another
    column and any DELETE.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Invoice charge"
        PAYMENT = "payment", "Payment"
        REFUND = "refund", "Refund"
        ADJUSTMENT = "adjustment", "Adjustment"
        FINANCE_CHARGE = "finance_charge", "Finance charge"
        CREDIT_APPLIED = "credit_applied", "Credit applied"
        REVERSAL = "reversal", "Reversal"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    amount = money_field()
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    # Tenders: a payment's or a refund's.
    tender = models.CharField(max_length=8, choices=Tender.choices, blank=True)
    amount_tendered = money_field("amount tendered", null=True, blank=True)
    check_number = models.CharField("check number", max_length=30, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField("card's last four", max_length=4, blank=True)
    auth_code = models.CharField("authorization code", max_length=20, blank=True)
    reference = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    drawer = models.ForeignKey(
        Drawer, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    business_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["customer", "work_order"], name="ledger_customer_bucket"),
            models.Index(fields=["work_order", "kind"], name="ledger_work_order_kind"),
            models.Index(fields=["business_date", "drawer"], name="ledger_day_drawer"),
            # The A/R aging report sums every work order's entries: read from this index
            # alone (an index-only scan in bucket order), never from the table.
            models.Index(
                fields=["customer", "work_order"],
                include=["amount", "business_date", "kind"],
                condition=Q(work_order__isnull=False),
                name="ledger_aging_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="ledger_sign_by_kind",
                condition=(
                    Q(kind__in=["charge", "refund", "finance_charge"], amount__gt=0)
                    | Q(kind="payment", amount__lt=0)
                    | (Q(kind__in=["adjustment", "credit_applied", "reversal"]) & ~Q(amount=0))
                ),
            ),
            models.CheckConstraint(
                name="ledger_reversal_names_entry",
                condition=(
                    Q(kind="reversal", reverses__isnull=False)
                    | (~Q(kind="reversal") & Q(reverses__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="ledger_tender_on_money_moves",
                condition=(
                    (Q(kind__in=["payment", "refund"]) & ~Q(tender=""))
                    | (~Q(kind__in=["payment", "refund", "reversal"]) & Q(tender=""))
                    | Q(kind="reversal")
                ),
            ),
            models.CheckConstraint(
                name="ledger_reason_when_required",
                condition=~Q(kind__in=["adjustment", "refund", "reversal"]) | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="ledger_payment_has_payment",
                condition=~Q(kind="payment") | Q(payment__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ${self.amount}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("Ledger entries are never updated: write a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are never deleted: write a reversing entry.")


class ArAccount(models.Model):
    """The terms of an A/R customer's account (the customer's own A/R flag says it is one)."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.PROTECT, related_name="ar_account"
    )
    credit_limit = money_field(default=Decimal("1000.00"))
    net_days = models.PositiveSmallIntegerField("terms (net days)", default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "A/R account"
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="ar_account_limit_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"A/R account of customer #{self.customer_id}"


class AccountCharge(models.Model):
    """An invoice charged to the customer's A/R account at bill-out (who, when, and whether
    it went over the credit limit, allowed by someone with "Charge over the credit limit")."""

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.PROTECT, related_name="account_charges"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="account_charges"
    )
    amount = money_field()
    balance_before = money_field()
    credit_limit = money_field()
    over_limit = models.BooleanField(default=False)
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    charged_at = models.DateTimeField()

    class Meta:
        ordering = ["-charged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.work_order} charged to account"


class DayClose(models.Model):
    """End of Day for one drawer: what the ledger expected by tender, what was counted,
    over/short, who closed it and when. After it, a payment dated that day needs
    "Payments on a closed day"."""

    drawer = models.ForeignKey(Drawer, on_delete=models.PROTECT, related_name="closes")
    business_date = models.DateField()
    expected = models.JSONField(help_text="{tender: amount} from the ledger at the close.")
    counted = models.JSONField(help_text="{tender: amount} as counted.")
    over_short = money_field()
    note = models.CharField(max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ["-business_date", "drawer__name"]
        constraints = [
            models.UniqueConstraint(fields=["drawer", "business_date"], name="day_close_once")
        ]

    def __str__(self) -> str:
        return f"{self.drawer} {self.business_date:%Y-%m-%d}"


class DepositRequest(models.Model):
    """The deposit the shop asks for on an estimate or repair order, paid from the
    customer's link (payments.paylink)."""

    work_order = models.OneToOneField(
        "workorders.WorkOrder", on_delete=models.PROTECT, related_name="deposit_request"
    )
    amount = money_field()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="deposit_request_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Deposit of ${self.amount} asked on #{self.work_order_id}"


class OnlineCheckout(models.Model):
    """The customer pressed Pay on their link: what they were asked to pay, at which
    provider (payments.providers), and the provider's checkout id. The provider's notice
    that it was paid must name this row and carry exactly this amount."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice balance"
        DEPOSIT = "deposit", "Deposit"

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.PROTECT, related_name="online_checkouts"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="online_checkouts"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = money_field()
    currency = models.CharField(max_length=3, default="usd")
    provider = models.CharField(max_length=20)
    provider_checkout_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="online_checkout_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_checkout_id"],
                condition=~Q(provider_checkout_id=""),
                name="online_checkout_provider_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Online checkout #{self.pk} (${self.amount})"


class OnlinePaymentReceipt(models.Model):
    """A provider's payment, recorded once: the unique constraints make a second delivery
    of the same payment (the same event again, or another event about it) record nothing,
    even when two deliveries arrive at the same moment."""

    provider = models.CharField(max_length=20)
    provider_payment_id = models.CharField(max_length=255)
    event_id = models.CharField(max_length=255)
    checkout = models.OneToOneField(
        OnlineCheckout, on_delete=models.PROTECT, related_name="receipt"
    )
    payment = models.OneToOneField(
        Payment, null=True, on_delete=models.PROTECT, related_name="online_receipt"
    )
    amount = money_field()
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"], name="online_payment_once"
            ),
            models.UniqueConstraint(fields=["provider", "event_id"], name="online_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_payment_id}"


class AccountingSettings(models.Model):
    """The account names of the accountant's export (payments/accounting.py). One row
    (pk=1), read with payments.accounting.accounting_settings_get()."""

    receivable = models.CharField(
        "accounts receivable", max_length=80, default="Accounts Receivable"
    )
    sales = models.CharField("sales", max_length=80, default="Sales")
    sales_tax = models.CharField("sales tax payable", max_length=80, default="Sales Tax Payable")
    cash = models.CharField("cash", max_length=80, default="Undeposited Funds - Cash")
    checks = models.CharField("checks", max_length=80, default="Undeposited Funds - Checks")
    card = models.CharField("cards", max_length=80, default="Card Clearing")
    other = models.CharField("other tenders", max_length=80, default="Other Receipts")
    finance_charges = models.CharField(
        "finance charges", max_length=80, default="Finance Charge Income"
    )
    adjustments = models.CharField("adjustments", max_length=80, default="A/R Adjustments")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "accounting settings"
        verbose_name_plural = "accounting settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="payments_accounting_settings_one_row")
        ]

    def __str__(self) -> str:
        return "Accounting settings"


class FinanceChargeSettings(models.Model):
    """The shop's monthly finance charge on past-due A/R balances (one row; off by default).

    Each month it is `rate` percent of what is past due (older than the account's terms)
    at the end of the month, and at least `minimum`; written once per customer and month
    as a finance-charge ledger entry (FinanceCharge keeps which month)."""

    enabled = models.BooleanField("charge a monthly finance charge", default=False)
    rate = models.DecimalField(
        "monthly rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text="Percent of the past-due balance, each month.",
    )
    minimum = money_field("minimum charge", default=Decimal("2.00"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "finance charge settings"
        verbose_name_plural = "finance charge settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=25), name="finance_charge_rate_range"
            ),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="finance_charge_minimum"),
        ]

    def __str__(self) -> str:
        return "Finance charge settings"


class FinanceCharge(models.Model):
    """A month's finance charge of one customer: its ledger entry, at most one per month."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="finance_charges"
    )
    period = models.DateField(help_text="The first day of the month charged for.")
    past_due = money_field()
    amount = money_field()
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-period", "customer_id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period"], name="finance_charge_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_charge_positive"),
        ]

    def __str__(self) -> str:
        return f"Finance charge {self.period:%Y-%m} of customer #{self.customer_id}"


class StatementRun(models.Model):
    """An output job of statements (one customer or every A/R customer with a balance),
    printed as one combined PDF or e-mailed through the outbox, with its progress on the
    row like the follow-ups' output jobs."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Delivery(models.TextChoices):
        PRINT = "print", "Print (one PDF)"
        EMAIL = "email", "E-mail"

    period = models.DateField(help_text="The first day of the statements' month.")
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_runs",
        help_text="Empty: every A/R customer with a balance.",
    )
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.PRINT)
    with_finance_charges = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="statements/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Statements {self.period:%B %Y}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class Statement(models.Model):
    """A customer's statement of one month, with its figures and lines as they were sent,
    so a re-print is the same statement whatever was recorded since."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="statements"
    )
    period = models.DateField(help_text="The first day of the month.")
    opening_balance = money_field()
    charges = money_field()
    payments = money_field(help_text="Payments and credits in the month (negative or zero).")
    closing_balance = money_field()
    aging = models.JSONField(help_text="{bucket: amount} of the open invoices at month end.")
    lines = models.JSONField(help_text="The month's activity: [{date, text, amount}].")
    run = models.ForeignKey(
        StatementRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-period", "customer_id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period"], name="statement_once_a_month"),
            models.CheckConstraint(
                condition=Q(
                    closing_balance=models.F("opening_balance")
                    + models.F("charges")
                    + models.F("payments")
                ),
                name="statement_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"Statement {self.period:%B %Y} of customer #{self.customer_id}"

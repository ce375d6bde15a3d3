"""The money API's shapes: payments with their tenders, a payment to take, balances.

Amounts are strings with two decimals. An amount sent in is read as text, so that a bad
one gets the counter's own message (payments.services.taking.money_read)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from payments.models import ZERO, Drawer, LedgerEntry, Payment, Tender
from payments.selectors import AGE_BUCKETS, _reversed
from shop.api.fields import ShopDateTimeField

MONEY = {"max_digits": 14, "decimal_places": 2}


def money(value: Decimal) -> str:
    return f"{value:.2f}"


class TenderSerializer(serializers.ModelSerializer):
    """One tender of a payment: what it brought in (a positive amount)."""

    amount = serializers.SerializerMethodField()
    voided = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "tender", "amount", "amount_tendered", "check_number", "card_brand",
            "card_last4", "auth_code", "reference", "voided",
        ]  # fmt: skip

    def get_amount(self, entry: LedgerEntry) -> str:
        return money(-entry.amount)

    def get_voided(self, entry: LedgerEntry) -> bool:
        return _reversed(entry)


class AppliedSerializer(serializers.Serializer):
    work_order = serializers.IntegerField(
        allow_null=True, help_text="The invoice it paid; null: kept as the customer's credit."
    )
    amount = serializers.DecimalField(**MONEY)


class PaymentSerializer(serializers.ModelSerializer):
    """A payment (at an invoice, a deposit, or on account) with its tenders, whether it was
    voided, what was refunded from it, and what it was applied to."""

    taken_at = ShopDateTimeField(read_only=True)
    tenders = serializers.SerializerMethodField()
    voided = serializers.SerializerMethodField()
    refunded = serializers.SerializerMethodField()
    applied = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id", "kind", "customer", "work_order", "amount", "change_due", "drawer",
            "business_date", "note", "taken_by", "taken_at", "tenders", "voided", "refunded",
            "applied",
        ]  # fmt: skip

    def _entries(self, payment: Payment) -> list[LedgerEntry]:
        return list(payment.entries.all())  # prefetched by the view's queryset

    @extend_schema_field(TenderSerializer(many=True))
    def get_tenders(self, payment: Payment) -> list[dict]:
        tenders = [e for e in self._entries(payment) if e.kind == LedgerEntry.Kind.PAYMENT]
        return TenderSerializer(tenders, many=True).data

    def get_voided(self, payment: Payment) -> bool:
        return any(
            e.kind == LedgerEntry.Kind.PAYMENT and _reversed(e) for e in self._entries(payment)
        )

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_refunded(self, payment: Payment) -> str:
        entries = self._entries(payment)
        return money(sum((e.amount for e in entries if e.kind == LedgerEntry.Kind.REFUND), ZERO))

    @extend_schema_field(AppliedSerializer(many=True))
    def get_applied(self, payment: Payment) -> list[dict]:
        applied: dict[int | None, Decimal] = {}
        for entry in self._entries(payment):
            if entry.kind in (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.CREDIT_APPLIED):
                applied[entry.work_order_id] = applied.get(entry.work_order_id, ZERO) - entry.amount
        return [
            {"work_order": work_order, "amount": money(amount)}
            for work_order, amount in applied.items()
            if amount
        ]


class TenderInputSerializer(serializers.Serializer):
    tender = serializers.ChoiceField(choices=Tender.choices)
    amount = serializers.CharField(max_length=20, help_text="e.g. 84.30")
    amount_tendered = serializers.CharField(
        max_length=20, required=False, allow_null=True, help_text="Cash: what was handed over."
    )
    check_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    card_brand = serializers.CharField(max_length=20, required=False, allow_blank=True)
    card_last4 = serializers.CharField(max_length=4, required=False, allow_blank=True)
    auth_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)


class PaymentTakeSerializer(serializers.Serializer):
    """Take a payment at a billed-out invoice (or, with `deposit`, a deposit on an estimate
    or repair order): the same service and rules as the Take payment page."""

    work_order = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    tenders = TenderInputSerializer(many=True, min_length=1, max_length=8)
    expected_balance = serializers.CharField(
        max_length=20,
        required=False,
        allow_null=True,
        help_text="The balance the caller read; when it moved, nothing is recorded (409).",
    )
    keep_excess_as_credit = serializers.BooleanField(required=False, default=False)
    deposit = serializers.BooleanField(
        required=False, default=False, help_text="A deposit on a work order not billed out."
    )
    drawer = serializers.PrimaryKeyRelatedField(
        queryset=Drawer.objects.filter(is_active=True), required=False, allow_null=True
    )
    business_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InvoiceBalanceSerializer(serializers.Serializer):
    work_order = serializers.IntegerField(source="work_order_id")
    is_billed = serializers.BooleanField()
    billed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(
        **MONEY, help_text="Due; negative before bill-out: money held (a deposit)."
    )
    state = serializers.ChoiceField(choices=["paid", "partial", "unpaid", "deposit", "none"])


class OpenInvoiceSerializer(serializers.Serializer):
    work_order = serializers.IntegerField(source="work_order.pk")
    billed = serializers.DecimalField(**MONEY, source="work_order.grand_total")
    balance = serializers.DecimalField(**MONEY)
    billed_on = serializers.DateField()
    due_on = serializers.DateField(allow_null=True)
    days = serializers.IntegerField()
    age = serializers.ChoiceField(choices=[key for key, *_ in AGE_BUCKETS], source="bucket")


class AgingSerializer(serializers.Serializer):
    current = serializers.DecimalField(**MONEY)
    days_31_60 = serializers.DecimalField(**MONEY)
    days_61_90 = serializers.DecimalField(**MONEY)
    over_90 = serializers.DecimalField(**MONEY)


class CustomerAccountSerializer(serializers.Serializer):
    """A customer's balance, credit, A/R terms and open invoices by age (A/R Status)."""

    customer = serializers.IntegerField()
    is_ar = serializers.BooleanField()
    credit_limit = serializers.DecimalField(**MONEY, allow_null=True)
    net_days = serializers.IntegerField(allow_null=True)
    balance = serializers.DecimalField(
        **MONEY, help_text="What the customer owes (negative: the shop owes them)."
    )
    unapplied_credit = serializers.DecimalField(**MONEY)
    held_on_work_orders = serializers.DecimalField(**MONEY)
    open_total = serializers.DecimalField(**MONEY)
    aging = AgingSerializer()
    as_of = serializers.DateField()
    open_invoices = OpenInvoiceSerializer(many=True)

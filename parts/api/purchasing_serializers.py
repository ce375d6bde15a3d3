"""Purchase orders in the API: the list, the detail with its lines, and what receiving
and sending take."""

from __future__ import annotations

from rest_framework import serializers

from parts.models import PurchaseOrder, PurchaseOrderLine

MONEY = {"max_digits": 12, "decimal_places": 2}
QUANTITY = {"max_digits": 10, "decimal_places": 2}


class PurchaseOrderSerializer(serializers.ModelSerializer):
    """A purchase order with its totals: the lines' count, quantities ordered and received
    and its amount (ordered × cost)."""

    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    ordered = serializers.DecimalField(read_only=True, **QUANTITY)
    received = serializers.DecimalField(read_only=True, **QUANTITY)
    total = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = PurchaseOrder
        fields = ["id", "vendor", "vendor_name", "status", "notes", "work_order", "line_count",
                  "ordered", "received", "total", "created_at", "sent_at", "emailed_to",
                  "cancelled_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True)
    outstanding = serializers.DecimalField(read_only=True, **QUANTITY)
    amount = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "part", "part_number", "vendor_number", "description",
                  "quantity_ordered", "quantity_received", "outstanding", "unit_cost", "amount",
                  "work_order"]  # fmt: skip
        read_only_fields = fields


class PurchaseOrderDetailSerializer(PurchaseOrderSerializer):
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)

    class Meta(PurchaseOrderSerializer.Meta):
        fields = [*PurchaseOrderSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class ReceiveLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, help_text="The purchase order line's ID.")
    quantity = serializers.DecimalField(help_text="How many arrived.", **QUANTITY)
    unit_cost = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="The cost paid each (the order's when not given).",
        **MONEY,
    )


class PurchaseOrderReceiveSerializer(serializers.Serializer):
    """What arrived, line by line; more than is outstanding only with `confirm_over`."""

    lines = ReceiveLineSerializer(many=True, allow_empty=False)
    confirm_over = serializers.BooleanField(
        default=False, help_text="Take more than was ordered (recorded on the receipt)."
    )

    def validate_lines(self, value: list[dict]) -> list[dict]:
        ids = [row["line"] for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Give each line once.")
        return value


class PurchaseOrderSendSerializer(serializers.Serializer):
    email = serializers.BooleanField(
        default=True,
        help_text="True: e-mail it to the vendor with its PDF (through the outbox); false: "
        "mark it ordered (by phone, at the counter).",
    )

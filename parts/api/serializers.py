from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from parts.models import Part, StockMovement, Vendor, VendorPart

MONEY = {"max_digits": 12, "decimal_places": 2}


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "account_number", "contact_name", "phone", "email", "notes",
                  "is_active", "updated_at"]  # fmt: skip
        read_only_fields = ["updated_at"]


class VendorPartSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = VendorPart
        fields = ["vendor", "vendor_name", "vendor_number", "cost", "updated_at"]


class PartSerializer(serializers.ModelSerializer):
    """A catalog item with its stock: on hand (the sum of its movements), committed (on
    open repair orders) and its selling price (fixed, or from its cost through the pricing
    matrix)."""

    on_hand = serializers.DecimalField(source="stock.on_hand", max_digits=12, decimal_places=2,
                                       read_only=True)  # fmt: skip
    committed = serializers.DecimalField(source="stock.committed", max_digits=12,
                                         decimal_places=2, read_only=True)  # fmt: skip
    price = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Part
        fields = ["id", "number", "description", "kind", "category", "brand", "cost",
                  "average_cost", "list_price", "fixed_price", "price", "core_charge", "taxable",
                  "stocked", "bin_location", "reorder_point", "reorder_quantity", "on_hand",
                  "committed", "is_active", "updated_at"]  # fmt: skip
        read_only_fields = fields


class PartDetailSerializer(PartSerializer):
    vendors = VendorPartSerializer(source="vendor_parts", many=True, read_only=True)

    class Meta(PartSerializer.Meta):
        fields = [*PartSerializer.Meta.fields, "vendors"]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None)

    class Meta:
        model = StockMovement
        fields = ["id", "part", "kind", "quantity", "unit_cost", "work_order", "reason", "by",
                  "at"]  # fmt: skip
        read_only_fields = fields


class StockAdjustSerializer(serializers.Serializer):
    """An adjustment: the change (2 adds two, -1 takes one off) and why."""

    part = serializers.PrimaryKeyRelatedField(queryset=Part.objects.all())
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("-99999.99"),
        max_value=Decimal("99999.99"),
    )  # fmt: skip
    reason = serializers.CharField(max_length=200)

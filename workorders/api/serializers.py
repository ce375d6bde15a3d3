from __future__ import annotations

from rest_framework import serializers

from customers.models import Vehicle
from shop.api.fields import ShopDateTimeField
from shop.models import User
from workorders.models import (
    Appointment,
    Job,
    Line,
    LineKind,
    Package,
    PackageLine,
    Status,
    WorkOrder,
)


class StatusSerializer(serializers.ModelSerializer):
    stage = serializers.SerializerMethodField()

    class Meta:
        model = Status
        fields = [
            "id",
            "number",
            "name",
            "colour",
            "time_display",
            "default_minutes",
            "send_customer_update",
            "message_template",
            "stage",
        ]
        read_only_fields = ["id", "stage"]
        # Uniqueness is checked by the service, with a message that names the number.
        extra_kwargs = {"number": {"validators": []}}

    def get_stage(self, status: Status) -> str | None:
        settings_row = self.context.get("workorder_settings")
        return settings_row.stage_for(status.number) if settings_row else None


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Line
        fields = [
            "id",
            "kind",
            "category",
            "part_number",
            "description",
            "quantity",
            "unit_cost",
            "unit_price",
            "discount",
            "taxable",
            "technician",
            "amount",
            "added_by_rule",
        ]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    # "" until the customer decides: declared, because DRF drops allow_blank from a
    # read-only model field, and the schema would then refuse the blank it answers.
    approval_method = serializers.ChoiceField(
        choices=Job._meta.get_field("approval_method").choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "category",
            "package",
            "technician",
            "customer_notes",
            "internal_notes",
            "approval",
            "approval_by",
            "approval_at",
            "approval_method",
            "lines",
        ]
        read_only_fields = fields


TOTALS = list(WorkOrder.TOTAL_FIELDS)
SUMMARY = [
    "id",
    "customer",
    "vehicle",
    "advisor",
    "default_technician",
    "status_number",
    "status_name",
    "stage",
    "status_entered_at",
    "concern",
    "odometer_in",
    "odometer_out",
    "promised_at",
    "priority",
    "version",
    *TOTALS,
    "created_at",
    "updated_at",
    "closed_at",
]


class WorkOrderSerializer(serializers.ModelSerializer):
    status_number = serializers.IntegerField(source="status.number", read_only=True)
    status_name = serializers.CharField(source="status.name", read_only=True)

    class Meta:
        model = WorkOrder
        fields = SUMMARY
        read_only_fields = fields


class WorkOrderDetailSerializer(WorkOrderSerializer):
    jobs = JobSerializer(many=True, read_only=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [*SUMMARY, "jobs"]
        read_only_fields = fields


def _employees():
    return User.objects.exclude(role="")


# The columns' ranges, so that a number too big for the database is a 400, not an error there.
POSITIVE_INT = {"min_value": 0, "max_value": 2_147_483_647}
STATUS_NUMBER = {"min_value": 1, "max_value": 32_767}


class WorkOrderCreateSerializer(serializers.Serializer):
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all())
    status_number = serializers.IntegerField(required=False, **STATUS_NUMBER)
    advisor = serializers.PrimaryKeyRelatedField(queryset=_employees(), required=False)
    default_technician = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True
    )
    concern = serializers.CharField(required=False, allow_blank=True, default="")
    odometer_in = serializers.IntegerField(required=False, allow_null=True, **POSITIVE_INT)
    promised_at = ShopDateTimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=WorkOrder.Priority.choices, required=False)


class WorkOrderUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The version you read; a newer one on the server means a conflict (409).",
        **POSITIVE_INT,
    )
    status_number = serializers.IntegerField(required=False, **STATUS_NUMBER)
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True
    )
    default_technician = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True
    )
    concern = serializers.CharField(required=False, allow_blank=True)
    odometer_in = serializers.IntegerField(required=False, allow_null=True, **POSITIVE_INT)
    odometer_out = serializers.IntegerField(required=False, allow_null=True, **POSITIVE_INT)
    promised_at = ShopDateTimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=WorkOrder.Priority.choices, required=False)


class JobCreateSerializer(serializers.Serializer):
    version = serializers.IntegerField(**POSITIVE_INT)
    package = serializers.PrimaryKeyRelatedField(queryset=Package.objects.all(), required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    technician = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True
    )
    customer_notes = serializers.CharField(required=False, allow_blank=True, default="")
    internal_notes = serializers.CharField(required=False, allow_blank=True, default="")


class LineCreateSerializer(serializers.Serializer):
    version = serializers.IntegerField(**POSITIVE_INT)
    job = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=LineKind.choices)
    part_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    description = serializers.CharField()
    # Strings: the service gives the counter's own words for a bad or negative number.
    quantity = serializers.CharField()
    unit_price = serializers.CharField(required=False, allow_null=True, default=None)
    unit_cost = serializers.CharField(required=False, default="0")
    discount = serializers.CharField(required=False, default="0")
    taxable = serializers.BooleanField(required=False, allow_null=True, default=None)
    technician = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True, default=None
    )


class LineUpdateSerializer(serializers.Serializer):
    """A line changed in place: only what is sent changes (its kind and job stay)."""

    version = serializers.IntegerField(**POSITIVE_INT)
    part_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    description = serializers.CharField(required=False)
    # Strings: the service gives the counter's own words for a bad or negative number.
    quantity = serializers.CharField(required=False)
    unit_price = serializers.CharField(required=False, allow_null=True)
    unit_cost = serializers.CharField(required=False)
    discount = serializers.CharField(required=False)
    taxable = serializers.BooleanField(required=False)
    technician = serializers.PrimaryKeyRelatedField(
        queryset=_employees(), required=False, allow_null=True
    )


class PackageLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageLine
        fields = ["kind", "part_number", "description", "quantity", "unit_cost", "unit_price"]


class PackageSerializer(serializers.ModelSerializer):
    lines = PackageLineSerializer(many=True)

    class Meta:
        model = Package
        fields = ["id", "name", "category", "description", "is_active", "lines"]
        read_only_fields = ["id", "is_active"]
        extra_kwargs = {"name": {"validators": []}}


class AppointmentSerializer(serializers.ModelSerializer):
    starts_at = ShopDateTimeField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "starts_at",
            "customer",
            "vehicle",
            "concern",
            "advisor",
            "work_order",
            "cancelled_at",
            "cancel_reason",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "customer",
            "work_order",
            "cancelled_at",
            "cancel_reason",
            "updated_at",
        ]


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

from rest_framework import serializers

from customers.models import Vehicle
from shop.api.fields import ShopDateTimeField
from shop.models import User
from workorders.models import LineKind


class EmployeeSyncSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=User.Role.choices)
    security_level = serializers.IntegerField(min_value=1, max_value=5)
    is_active = serializers.BooleanField(required=False, default=True)


class AppointmentSyncSerializer(serializers.Serializer):
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all())
    starts_at = ShopDateTimeField()
    concern = serializers.CharField(max_length=4000)
    advisor_external_id = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None
    )


class LineSyncSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices)
    description = serializers.CharField(max_length=200)
    part_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    # Strings: the service gives the counter's own words for a bad or negative number.
    quantity = serializers.CharField(max_length=20)
    unit_price = serializers.CharField(max_length=20, required=False, allow_null=True)
    unit_cost = serializers.CharField(max_length=20, required=False)
    discount = serializers.CharField(max_length=20, required=False)
    taxable = serializers.BooleanField(required=False, allow_null=True)
    technician_external_id = serializers.CharField(max_length=100, required=False, allow_null=True)


class JobSyncSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=160)
    category = serializers.CharField(max_length=60, required=False, allow_blank=True)
    technician_external_id = serializers.CharField(max_length=100, required=False, allow_null=True)
    customer_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    internal_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    lines = LineSyncSerializer(many=True, required=False)


class WorkOrderSyncSerializer(serializers.Serializer):
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all())
    status_number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Follows the stage ranges: 1-5 estimate, 6-16 repair order, 17 closes.",
    )
    concern = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    odometer_in = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_000_000_000
    )
    odometer_out = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_000_000_000
    )
    advisor_external_id = serializers.CharField(max_length=100, required=False, allow_null=True)
    jobs = JobSyncSerializer(many=True, required=False)

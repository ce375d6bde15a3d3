from __future__ import annotations

from rest_framework import serializers

from customers.models import Customer, CustomerEmail, CustomerPhone, CustomerSource, Vehicle


class PhoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)

    class Meta:
        model = CustomerPhone
        fields = ["id", "kind", "number", "e164", "extension"]
        read_only_fields = ["e164"]


class EmailSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    address = serializers.CharField(max_length=254)

    class Meta:
        model = CustomerEmail
        fields = ["id", "address"]


class CustomerSerializer(serializers.ModelSerializer):
    """A customer with phones and e-mails. On write, phones and e-mails (when sent) are the
    full new lists: rows with an id are kept and changed, the others added, the rest removed."""

    phones = PhoneSerializer(many=True, required=False)
    emails = EmailSerializer(many=True, required=False)
    source = serializers.SlugRelatedField(
        slug_field="name",
        queryset=CustomerSource.objects.all(),
        required=False,
        allow_null=True,
    )
    household_main = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True
    )
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "display_name",
            "kind",
            "first_name",
            "last_name",
            "company_name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postcode",
            "is_ar",
            "source",
            "notes",
            "text_consent",
            "text_consent_at",
            "email_consent",
            "email_consent_at",
            "household_main",
            "phones",
            "emails",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["text_consent_at", "email_consent_at", "created_at", "updated_at"]


class VehicleSerializer(serializers.ModelSerializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    vin = serializers.CharField(max_length=24, required=False, allow_blank=True)
    plate = serializers.CharField(max_length=16, required=False, allow_blank=True)
    vin_elsewhere_confirmed = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="A VIN already on another vehicle is refused (400) unless this is true: "
        "the caller checked and both records are right.",
    )

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "customer",
            "year",
            "make",
            "model",
            "engine",
            "vin",
            "plate",
            "plate_state",
            "odometer",
            "annual_mileage",
            "color",
            "notes",
            "is_active",
            "vin_elsewhere_confirmed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.models import User


# An employee's e-mail is optional: blank when there is none, which `format: email` refuses.
@extend_schema_field({"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}]})
class OptionalEmailField(serializers.CharField):
    """Read only: the address is checked where it is written (the employee's form, sync)."""


class EmployeeSerializer(serializers.ModelSerializer):
    email = OptionalEmailField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "security_level",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields

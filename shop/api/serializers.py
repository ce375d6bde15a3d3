from rest_framework import serializers

from shop.models import User


class EmployeeSerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = fields

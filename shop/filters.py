import django_filters

from shop.models import User


class EmployeeFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=User.Role.choices, label="Role")
    security_level = django_filters.NumberFilter(label="Security level (1 highest, 5 lowest)")
    is_active = django_filters.BooleanFilter(label="Active (false: former employees)")

    class Meta:
        model = User
        fields = ["role", "security_level", "is_active"]

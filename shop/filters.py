import django_filters

from shop.models import User


class EmployeeFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=User.Role.choices)
    security_level = django_filters.NumberFilter()
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["role", "security_level", "is_active"]

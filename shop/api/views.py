from rest_framework import viewsets

from shop import selectors
from shop.api.filters import EmployeeApiFilter
from shop.api.serializers import EmployeeSerializer


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    """Employees. An outside system polling for changes keeps the last `updated_at` it read
    and asks for `?updated_since=` that time. A short list: pages by number."""

    security_function = "view_employees"
    serializer_class = EmployeeSerializer
    filterset_class = EmployeeApiFilter

    def get_queryset(self):
        return selectors.employee_list().order_by("id")

from rest_framework import viewsets

from shop import selectors
from shop.api.serializers import EmployeeSerializer
from shop.filters import EmployeeFilter


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    security_function = "view_employees"
    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter

    def get_queryset(self):
        return selectors.employee_list().order_by("id")

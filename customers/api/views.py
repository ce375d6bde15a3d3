"""The customers API: customers with phones and e-mails, and vehicles.

Writes go through customers.services, like the pages; a broken rule is a 400
with the service's message, keyed by the field it concerns.
"""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException

from customers import services
from customers.api.serializers import CustomerSerializer, VehicleSerializer
from customers.filters import CustomerFilter, VehicleFilter
from customers.models import Customer, CustomerPhone, Vehicle
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError


class ServiceRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, error: ServiceError):
        detail = {error.field: [error.message]} if error.field else {"detail": error.message}
        super().__init__(detail=detail, code=error.code)


class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customers, newest first, a cursor page at a time. `?q=` searches names (typos too),
    phones, plates and VINs: the best matches (at most 100), best first, in one page."""

    security_functions = {"read": "view_customers", "write": "edit_customers"}
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return (
            Customer.objects.select_related("source")
            .prefetch_related(
                Prefetch("phones", queryset=CustomerPhone.objects.order_by("id")), "emails"
            )
            .order_by("-id")
        )

    def paginate_queryset(self, queryset):
        if self.request.query_params.get("q", "").strip():
            return self.paginator.paginate_ranked(queryset, self.request)
        return super().paginate_queryset(queryset)

    def _save(self, serializer, customer: Customer | None):
        data = dict(serializer.validated_data)
        phones = data.pop("phones", None)
        emails = data.pop("emails", None)
        try:
            if customer is None:
                serializer.instance = services.customer_create(
                    by=self.request.user, phones=phones or [], emails=emails or [], **data
                )
            else:
                serializer.instance = services.customer_update(
                    by=self.request.user, customer=customer, phones=phones, emails=emails, **data
                )
        except ServiceError as error:
            raise ServiceRefused(error) from None
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class VehicleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Vehicles, newest first, a cursor page at a time. A vehicle is never deleted here:
    set `is_active` false to disable it."""

    security_functions = {"read": "view_customers", "write": "edit_vehicles"}
    serializer_class = VehicleSerializer
    filterset_class = VehicleFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return Vehicle.objects.order_by("-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        customer = data.pop("customer")
        active = data.pop("is_active", True)
        try:
            vehicle = services.vehicle_create(by=self.request.user, customer=customer, **data)
            if not active:
                vehicle = services.vehicle_set_active(
                    by=self.request.user, vehicle=vehicle, active=False
                )
        except ServiceError as error:
            raise ServiceRefused(error) from None
        serializer.instance = vehicle

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        vehicle = serializer.instance
        if "customer" in data and data.pop("customer").pk != vehicle.customer_id:
            raise ServiceRefused(
                ServiceError(
                    "A vehicle changes owner with Combine Customers, not here.", field="customer"
                )
            )
        active = data.pop("is_active", None)
        try:
            if data:
                vehicle = services.vehicle_update(by=self.request.user, vehicle=vehicle, **data)
            if active is not None and active != vehicle.is_active:
                vehicle = services.vehicle_set_active(
                    by=self.request.user, vehicle=vehicle, active=active
                )
        except ServiceError as error:
            raise ServiceRefused(error) from None
        serializer.instance = vehicle

"""The work-order API: statuses, work orders with jobs and lines, appointments, packages.

Writes go through workorders.services, like the pages. A broken rule is a 400
with the service's message; a stale `version` or a locked invoice is a 409.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from shop.api.filters import UtcIsoDateTimeFilter, updated_since_filter
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError
from workorders import selectors, services
from workorders.api import serializers
from workorders.filters import WorkOrderFilter
from workorders.models import (
    Appointment,
    Job,
    Line,
    Package,
    PackageLine,
    Status,
    WorkOrder,
)


class ServiceRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, error: ServiceError):
        if error.code in {"conflict", "locked"}:
            self.status_code = status.HTTP_409_CONFLICT
        elif error.code == "hidden":  # an estimate the token's level may not see
            self.status_code = status.HTTP_403_FORBIDDEN
        detail = {error.field: [error.message]} if error.field else {"detail": error.message}
        super().__init__(detail=detail, code=error.code)


class RefusesServiceErrors:
    """A view mixin: a ServiceError from a service answers as ServiceRefused (400, 409 for a
    stale version or a locked invoice, 403 for an estimate the caller may not see), so no
    view has to catch it itself."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ServiceError):
            exc = ServiceRefused(exc)
        return super().handle_exception(exc)


def _status_for(number: int) -> Status:
    found = Status.objects.filter(number=number).first()
    if found is None:
        raise ServiceError(f"There is no status number {number}.", field="status_number")
    return found


class StatusViewSet(RefusesServiceErrors, viewsets.ModelViewSet):
    """The shop's statuses by number, with the stage each falls in (1-5 estimate, 6-16 repair
    order, 17 billed out, as the stage ranges say). A status in use cannot be deleted."""

    security_functions = {"read": "view_work_orders", "write": "edit_statuses"}
    serializer_class = serializers.StatusSerializer
    queryset = Status.objects.order_by("number")
    pagination_class = None

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "workorder_settings": selectors.workorder_settings_get(),
        }

    def perform_create(self, serializer):
        serializer.instance = services.status_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.status_update(
            by=self.request.user, status=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.status_delete(by=self.request.user, status=instance)


class PackageViewSet(
    RefusesServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Canned jobs (packages) with their lines, by name; a work order's job can be added
    from one (`POST /work-orders/{id}/jobs/` with `package`)."""

    security_functions = {"read": "view_work_orders", "write": "edit_packages"}
    serializer_class = serializers.PackageSerializer

    def get_queryset(self):
        lines = PackageLine.objects.order_by("position", "id")
        return Package.objects.prefetch_related(Prefetch("lines", queryset=lines)).order_by("name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.package_create(by=self.request.user, **data)


class WorkOrderViewSet(
    RefusesServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Work orders by status number: 1-5 estimate, 6-16 repair order, 17 billed out (closed),
    as the shop's stage ranges say. The list: newest first, a cursor page at a time."""

    security_functions = {
        "list": "view_work_orders",
        "retrieve": "view_work_orders",
        "create": "edit_work_orders",
        "partial_update": "edit_work_orders",
        "jobs": "edit_work_orders",
        "lines": "edit_work_orders",
        "line_update": "edit_work_orders",
    }
    filterset_class = WorkOrderFilter
    pagination_class = KeysetCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = WorkOrder.objects.select_related("status").order_by("-id")
        queryset = selectors.visible_work_orders(self.request.user, queryset, self.request)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("jobs", queryset=selectors.job_queryset())
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.WorkOrderDetailSerializer
        return serializers.WorkOrderSerializer

    def _detail(self, work_order: WorkOrder, code: int = status.HTTP_200_OK) -> Response:
        work_order = (
            self.get_queryset()
            .prefetch_related(Prefetch("jobs", queryset=selectors.job_queryset()))
            .get(pk=work_order.pk)
        )
        return Response(serializers.WorkOrderDetailSerializer(work_order).data, status=code)

    def create(self, request: Request) -> Response:
        incoming = serializers.WorkOrderCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        number = data.pop("status_number", None)
        if number is not None:
            data["status"] = _status_for(number)
        work_order = services.workorder_create(by=request.user, **data)
        return self._detail(work_order, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        work_order = self.get_object()
        incoming = serializers.WorkOrderUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        number = data.pop("status_number", None)
        if data:
            work_order = services.workorder_update(
                by=request.user, work_order=work_order, version=version, **data
            )
            version = work_order.version
        if number is not None:
            work_order = services.workorder_status_set(
                by=request.user,
                work_order=work_order,
                version=version,
                status=_status_for(number),
            )
        return self._detail(work_order)

    @action(detail=True, methods=["post"])
    def jobs(self, request: Request, pk: str) -> Response:
        """Add a job: from a package (`package`), or by `title` and `category`."""
        work_order = self.get_object()
        incoming = serializers.JobCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        package = data.pop("package", None)
        if package is not None:
            services.job_add_package(
                by=request.user,
                work_order=work_order,
                version=data["version"],
                package=package,
            )
        else:
            services.job_add(by=request.user, work_order=work_order, **data)
        return self._detail(work_order, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def lines(self, request: Request, pk: str) -> Response:
        """Add a line to one of the work order's jobs (the labor-line rule applies)."""
        work_order = self.get_object()
        incoming = serializers.LineCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        job = Job.objects.filter(pk=data.pop("job"), work_order=work_order).first()
        if job is None:
            raise ServiceRefused(ServiceError("No such job on this work order.", field="job"))
        services.line_add(by=request.user, job=job, **data)
        return self._detail(work_order, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.LineUpdateSerializer)
    @action(detail=True, methods=["patch"], url_path=r"lines/(?P<line_id>[0-9]+)")
    def line_update(
        self, request: Request, pk: str, line_id: str, format: str | None = None
    ) -> Response:
        """Change one of its lines in place: what is sent (description, quantity or hours,
        prices, discount, taxable, a labor line's technician) with the `version` read; the
        totals follow. A stale version is a conflict (409), a billed-out invoice refuses."""
        work_order = self.get_object()
        incoming = serializers.LineUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        line = Line.objects.filter(pk=line_id, work_order=work_order).first()
        if line is None:
            raise NotFound("No such line on this work order.")
        services.line_update(by=request.user, line=line, **data)
        return self._detail(work_order)


class AppointmentFilter(django_filters.FilterSet):
    updated_since = updated_since_filter()
    cancelled = django_filters.BooleanFilter(
        field_name="cancelled_at",
        lookup_expr="isnull",
        exclude=True,
        label="true: only cancelled appointments; false: only those still booked",
    )

    class Meta:
        model = Appointment
        fields = ["updated_since", "cancelled"]


# `from` is a Python keyword, so the filter is added by name.
AppointmentFilter.base_filters["from"] = UtcIsoDateTimeFilter(
    field_name="starts_at",
    lookup_expr="gte",
    label="Starting at or after this time (ISO 8601)",
)


class StartsAtPagination(KeysetCursorPagination):
    """The appointment book in time order (starts_at has an index)."""

    ordering = ("starts_at", "id")


class AppointmentViewSet(
    RefusesServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Appointments in time order, a cursor page at a time; `?from=` skips the past. PUT or
    PATCH moves one or changes its concern, advisor or vehicle; `cancel` cancels it."""

    security_functions = {
        "list": "manage_appointments",
        "retrieve": "manage_appointments",
        "create": "manage_appointments",
        "update": "manage_appointments",
        "partial_update": "manage_appointments",
        "cancel": "manage_appointments",
        "convert": "edit_work_orders",
    }
    serializer_class = serializers.AppointmentSerializer
    filterset_class = AppointmentFilter
    pagination_class = StartsAtPagination

    def get_queryset(self):
        return Appointment.objects.order_by("starts_at", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.appointment_create(by=self.request.user, **data)

    def perform_update(self, serializer):
        # Only what was sent: the service keeps the rest as it is on the locked row.
        serializer.instance = services.appointment_update(
            by=self.request.user,
            appointment=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(
        request=serializers.AppointmentCancelSerializer,
        responses=serializers.AppointmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel the appointment, with an optional reason: it leaves the board and stays on
        the day's list, marked cancelled. One that became a work order cannot be cancelled."""
        appointment = self.get_object()
        incoming = serializers.AppointmentCancelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        appointment = services.appointment_cancel(
            by=request.user, appointment=appointment, reason=incoming.validated_data["reason"]
        )
        return Response(serializers.AppointmentSerializer(appointment).data)

    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk: str) -> Response:
        """Turn the appointment into a work order (an estimate)."""
        appointment = self.get_object()
        work_order = services.appointment_convert(by=request.user, appointment=appointment)
        return Response(
            serializers.WorkOrderSerializer(
                WorkOrder.objects.select_related("status").get(pk=work_order.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )

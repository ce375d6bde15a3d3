"""Read-back for polling: what changed since the last poll, a cursor page at a time.

An outside system keeps the `updated_at` of the last row it read and asks for
`?updated_since=<that>`; `next` links walk the rest. Work orders come with
odometer in and out, the vehicle's VIN and plate, each job's technician and
customer-facing notes (a technician's note changes the work order's
`updated_at`), and the integration's own external id when it has one.
"""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from customers.models import Vehicle
from integrations.models import ExternalKey, Integration
from workorders import selectors as workorder_selectors
from workorders.models import Job, Line, WorkOrder


class UpdatedSincePagination(CursorPagination):
    """Oldest change first, so a poller resumes where it stopped; at most 500 a page."""

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class UpdatedSinceFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this time (ISO 8601), e.g. the last updated_at you read",
    )


class WorkOrderChangesFilter(UpdatedSinceFilter):
    class Meta:
        model = WorkOrder
        fields = ["updated_since"]


class VehicleChangesFilter(UpdatedSinceFilter):
    class Meta:
        model = Vehicle
        fields = ["updated_since"]


class LineReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Line
        fields = [
            "id",
            "kind",
            "part_number",
            "description",
            "quantity",
            "unit_price",
            "amount",
            "technician",
        ]
        read_only_fields = fields


class JobReadSerializer(serializers.ModelSerializer):
    technician_name = serializers.SerializerMethodField()
    lines = LineReadSerializer(many=True, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "technician",
            "technician_name",
            "customer_notes",
            "approval",
            "lines",
        ]
        read_only_fields = fields

    def get_technician_name(self, job: Job) -> str:
        technician = job.technician
        return (technician.get_full_name() or technician.username) if technician else ""


class WorkOrderChangeSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(read_only=True, allow_null=True)
    status_number = serializers.IntegerField(source="status.number", read_only=True)
    vin = serializers.CharField(source="vehicle.vin", read_only=True)
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    jobs = JobReadSerializer(many=True, read_only=True)

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "external_id",
            "status_number",
            "stage",
            "customer",
            "vehicle",
            "vin",
            "plate",
            "odometer_in",
            "odometer_out",
            "updated_at",
            "closed_at",
            "jobs",
        ]
        read_only_fields = fields


class VehicleChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "customer", "vin", "plate", "plate_state", "updated_at"]
        read_only_fields = fields


def _with_external_id(queryset, request, model):
    integration = getattr(request, "auth", None)
    if not isinstance(integration, Integration):
        return queryset.annotate(external_id=Subquery(ExternalKey.objects.none().values("id")))
    keys = ExternalKey.objects.filter(
        integration=integration,
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
    ).values("external_id")[:1]
    return queryset.annotate(external_id=Subquery(keys))


class WorkOrderChangesView(generics.ListAPIView):
    """Work orders changed since a time, with their jobs and lines: four queries a page."""

    security_function = "view_work_orders"
    serializer_class = WorkOrderChangeSerializer
    filterset_class = WorkOrderChangesFilter
    pagination_class = UpdatedSincePagination

    def get_queryset(self):
        lines = Line.objects.order_by("position", "id")
        jobs = (
            Job.objects.select_related("technician")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("position", "id")
        )
        queryset = WorkOrder.objects.select_related("status", "vehicle").prefetch_related(
            Prefetch("jobs", queryset=jobs)
        )
        queryset = workorder_selectors.visible_work_orders(
            self.request.user, queryset, self.request
        )
        return _with_external_id(queryset, self.request, WorkOrder)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([_work_order_row(row) for row in page])


_datetime = serializers.DateTimeField()
_decimal = serializers.DecimalField(max_digits=12, decimal_places=2)


def _when(value):
    return _datetime.to_representation(value) if value is not None else None


def _work_order_row(work_order: WorkOrder) -> dict:
    """WorkOrderChangeSerializer's output, built directly: a page of 100 work orders with
    their jobs and lines is thousands of fields, and DRF's field machinery would be most
    of the time (tests/integrations/test_readback.py checks both agree)."""
    vehicle = work_order.vehicle
    jobs = []
    for job in work_order.jobs.all():
        technician = job.technician
        jobs.append(
            {
                "id": job.pk,
                "title": job.title,
                "technician": job.technician_id,
                "technician_name": (technician.get_full_name() or technician.username)
                if technician
                else "",
                "customer_notes": job.customer_notes,
                "approval": job.approval,
                "lines": [
                    {
                        "id": line.pk,
                        "kind": line.kind,
                        "part_number": line.part_number,
                        "description": line.description,
                        "quantity": _decimal.to_representation(line.quantity),
                        "unit_price": _decimal.to_representation(line.unit_price),
                        "amount": _decimal.to_representation(line.amount),
                        "technician": line.technician_id,
                    }
                    for line in job.lines.all()
                ],
            }
        )
    return {
        "id": work_order.pk,
        "external_id": work_order.external_id,
        "status_number": work_order.status.number,
        "stage": work_order.stage,
        "customer": work_order.customer_id,
        "vehicle": work_order.vehicle_id,
        "vin": vehicle.vin,
        "plate": vehicle.plate,
        "odometer_in": work_order.odometer_in,
        "odometer_out": work_order.odometer_out,
        "updated_at": _when(work_order.updated_at),
        "closed_at": _when(work_order.closed_at),
        "jobs": jobs,
    }


class VehicleChangesView(generics.ListAPIView):
    """Vehicles changed since a time (VIN, plate)."""

    security_function = "view_customers"
    serializer_class = VehicleChangeSerializer
    filterset_class = VehicleChangesFilter
    pagination_class = UpdatedSincePagination
    queryset = Vehicle.objects.all()

"""Read-back for polling: what changed since the last poll, a cursor page at a time.

An outside system keeps the `updated_at` of the last row it read and asks for
`?updated_since=<that>`; `next` links walk the rest. Work orders come with
odometer in and out, the vehicle's VIN and plate, each job's technician and
customer-facing notes (a technician's note changes the work order's
`updated_at`), and the integration's own external id when it has one.
"""

from __future__ import annotations

from collections import defaultdict

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from rest_framework import generics, serializers

from customers.models import Vehicle
from integrations.models import ExternalKey, Integration
from shop.api.filters import UtcIsoDateTimeFilter
from shop.api.pagination import KeysetCursorPagination
from workorders import selectors as workorder_selectors
from workorders.models import Job, Line, WorkOrder


class UpdatedSincePagination(KeysetCursorPagination):
    """Oldest change first, so a poller resumes where it stopped; at most 500 a page. The
    cursor holds (updated_at, id), so rows changed in the same instant are all read once."""

    ordering = ("updated_at", "id")


class UpdatedSinceFilter(django_filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(
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
    """Work orders changed since a time, with their jobs and lines: five queries a page."""

    security_function = "view_work_orders"
    serializer_class = WorkOrderChangeSerializer
    filterset_class = WorkOrderChangesFilter
    pagination_class = UpdatedSincePagination

    def get_queryset(self):
        queryset = WorkOrder.objects.select_related("status", "vehicle")
        queryset = workorder_selectors.visible_work_orders(
            self.request.user, queryset, self.request
        )
        return _with_external_id(queryset, self.request, WorkOrder)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_work_order_rows(page))


_datetime = serializers.DateTimeField()


def _when(value):
    return _datetime.to_representation(value) if value is not None else None


def _work_order_rows(work_orders: list[WorkOrder]) -> list[dict]:
    """WorkOrderChangeSerializer's output, built directly from two column queries.

    A page of 100 work orders carries about a thousand lines; making a model
    instance of each, and running DRF's field machinery over them, was most of
    the time. Amounts are numeric columns with two places, so `str` writes them
    as the serializer does (tests/integrations/test_readback.py checks both agree).
    """
    ids = [work_order.pk for work_order in work_orders]
    # The serializer's fields, read as columns (a foreign key by its id column).
    names = LineReadSerializer.Meta.fields
    columns = [f"{name}_id" if name == "technician" else name for name in names]
    amounts = {"quantity", "unit_price", "amount"}
    lines: dict[int, list[dict]] = defaultdict(list)
    line_rows = Line.objects.filter(work_order_id__in=ids).order_by("position", "id")
    for job_id, *values in line_rows.values_list("job_id", *columns):
        lines[job_id].append(
            {
                name: str(value) if name in amounts else value
                for name, value in zip(names, values, strict=True)
            }
        )
    jobs: dict[int, list[dict]] = defaultdict(list)
    job_columns = Job.objects.filter(work_order_id__in=ids).order_by("position", "id")
    for job in job_columns.values(
        "id",
        "work_order_id",
        "title",
        "technician_id",
        "technician__first_name",
        "technician__last_name",
        "technician__username",
        "customer_notes",
        "approval",
    ):
        name = ""
        if job["technician_id"] is not None:
            full = f"{job['technician__first_name']} {job['technician__last_name']}".strip()
            name = full or job["technician__username"]
        jobs[job["work_order_id"]].append(
            {
                "id": job["id"],
                "title": job["title"],
                "technician": job["technician_id"],
                "technician_name": name,
                "customer_notes": job["customer_notes"],
                "approval": job["approval"],
                "lines": lines[job["id"]],
            }
        )
    return [
        {
            "id": work_order.pk,
            "external_id": work_order.external_id,
            "status_number": work_order.status.number,
            "stage": work_order.stage,
            "customer": work_order.customer_id,
            "vehicle": work_order.vehicle_id,
            "vin": work_order.vehicle.vin,
            "plate": work_order.vehicle.plate,
            "odometer_in": work_order.odometer_in,
            "odometer_out": work_order.odometer_out,
            "updated_at": _when(work_order.updated_at),
            "closed_at": _when(work_order.closed_at),
            "jobs": jobs[work_order.pk],
        }
        for work_order in work_orders
    ]


class VehicleChangesView(generics.ListAPIView):
    """Vehicles changed since a time (VIN, plate)."""

    security_function = "view_customers"
    serializer_class = VehicleChangeSerializer
    filterset_class = VehicleChangesFilter
    pagination_class = UpdatedSincePagination
    queryset = Vehicle.objects.all()

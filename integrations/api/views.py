"""Sync endpoints: PUT a record under the outside system's own id (upsert), DELETE an employee.

Only integration tokens may call them (the external ids belong to an integration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations import sync
from integrations.api import serializers
from integrations.models import Integration
from shop.api.serializers import EmployeeSerializer
from shop.errors import ServiceError
from workorders import selectors as workorder_selectors
from workorders.api.serializers import AppointmentSerializer, WorkOrderDetailSerializer
from workorders.api.views import ServiceRefused
from workorders.models import WorkOrder

T = TypeVar("T")

ERRORS = {
    400: OpenApiResponse(description="Bad input: the field that is wrong, by its path."),
    403: OpenApiResponse(description="Not allowed, or a read-only token."),
}


class SyncView(APIView):
    def integration(self, request: Request) -> Integration:
        if not isinstance(request.auth, Integration):
            raise PermissionDenied("Sync by external id needs an integration token.")
        return request.auth

    def _code(self, created: bool) -> int:
        return status.HTTP_201_CREATED if created else status.HTTP_200_OK

    def _run(self, action: Callable[..., T], request: Request, external_id: str, **data) -> T:
        """`action` for this request's integration and `external_id`; a refusal answers
        404 when nothing has that id, 409 on a conflict, otherwise 400 naming the field."""
        try:
            return action(integration=self.integration(request), external_id=external_id, **data)
        except ServiceError as error:
            if error.code == "not_found":
                raise NotFound(error.message) from None
            raise ServiceRefused(error) from None


class EmployeeSyncView(SyncView):
    """An employee by the outside system's id: PUT creates or changes, DELETE deactivates."""

    security_function = "manage_administrators"

    @extend_schema(
        request=serializers.EmployeeSyncSerializer,
        responses={200: EmployeeSerializer, 201: EmployeeSerializer, **ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        incoming = serializers.EmployeeSyncSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        employee, created = self._run(
            sync.employee_upsert, request, external_id, **incoming.validated_data
        )
        return Response(EmployeeSerializer(employee).data, status=self._code(created))

    @extend_schema(responses={200: EmployeeSerializer, 404: OpenApiResponse(), **ERRORS})
    def delete(self, request: Request, external_id: str) -> Response:
        employee = self._run(sync.employee_deactivate, request, external_id)
        return Response(EmployeeSerializer(employee).data)


class AppointmentSyncView(SyncView):
    """An appointment by the outside system's id: PUT creates or changes (moves) it, DELETE
    cancels it. An appointment that became a work order is changed through the work order."""

    security_function = "manage_appointments"

    @extend_schema(
        request=serializers.AppointmentSyncSerializer,
        responses={200: AppointmentSerializer, 201: AppointmentSerializer, **ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        incoming = serializers.AppointmentSyncSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        appointment, created = self._run(
            sync.appointment_upsert, request, external_id, **incoming.validated_data
        )
        return Response(AppointmentSerializer(appointment).data, status=self._code(created))

    @extend_schema(responses={200: AppointmentSerializer, 404: OpenApiResponse(), **ERRORS})
    def delete(self, request: Request, external_id: str) -> Response:
        """Cancel it (it stays on the day's list, marked cancelled, and leaves the board)."""
        appointment = self._run(sync.appointment_cancel, request, external_id)
        return Response(AppointmentSerializer(appointment).data)


class WorkOrderSyncView(SyncView):
    """A work order with its jobs and lines by the outside system's ids, in one transaction.

    Sent by status number, it follows the stage ranges: an estimate (1-5) never reaches
    technicians; a repair order (6-16) does, its jobs approved; the invoice stage (17)
    closes it. A bad child line saves nothing and names its field, e.g.
    `jobs[0].lines[1].quantity`.
    """

    security_function = "edit_work_orders"

    @extend_schema(
        request=serializers.WorkOrderSyncSerializer,
        responses={200: WorkOrderDetailSerializer, 201: WorkOrderDetailSerializer, **ERRORS},
    )
    def put(self, request: Request, external_id: str) -> Response:
        incoming = serializers.WorkOrderSyncSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        work_order, created = self._run(
            sync.work_order_upsert, request, external_id, **incoming.validated_data
        )
        work_order = (
            WorkOrder.objects.select_related("status")
            .prefetch_related(Prefetch("jobs", queryset=workorder_selectors.job_queryset()))
            .get(pk=work_order.pk)
        )
        return Response(WorkOrderDetailSerializer(work_order).data, status=self._code(created))

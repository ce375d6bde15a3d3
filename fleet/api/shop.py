"""Fleet requests as the shop (and its outside systems) read them, every fleet's.

The fleet users' own API is fleet/api/views.py (their company's requests only);
this one is behind "Send to Fleet", as the editor's Fleet approval panel is.
A list row is the request; one request adds what was sent and every decision.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fleet import selectors
from fleet.models import FleetRequest, RequestState
from shop.api.filters import updated_since_filter
from shop.api.pagination import KeysetCursorPagination
from shop.filters import IdFilter


class FleetRequestRowSerializer(serializers.ModelSerializer):
    fleet_company_id = serializers.CharField(source="company.fleet_company_id", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    version = serializers.IntegerField(source="current_version", read_only=True)

    class Meta:
        model = FleetRequest
        fields = [
            "id",
            "work_order",
            "company",
            "fleet_company_id",
            "company_name",
            "state",
            "version",
            "invoice_approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FleetRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequestState.choices, label="State")
    company = IdFilter(field_name="company_id", label="Fleet company (id)")
    work_order = IdFilter(field_name="work_order_id", label="Work order ID")
    updated_since = updated_since_filter()

    class Meta:
        model = FleetRequest
        fields = ["state", "company", "work_order", "updated_since"]


class ChangedLastPagination(KeysetCursorPagination):
    """Oldest change first, so a poller resumes where it stopped."""

    ordering = ("updated_at", "id")


class ShopFleetRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Every fleet's approval requests: state, version, and (one request) the decisions."""

    security_function = "send_to_fleet"
    serializer_class = FleetRequestRowSerializer
    filterset_class = FleetRequestFilter
    pagination_class = ChangedLastPagination
    queryset = FleetRequest.objects.select_related("company")

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        description="The request as the fleet sees it: the repair order sent (the frozen "
        "snapshot), its total, each line's decision and reason, and the notes.",
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(selectors.request_as_dict(self.get_object()))

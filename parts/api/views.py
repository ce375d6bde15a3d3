"""The parts API: the catalog with stock (search, detail), stock movements (the list, and
adjustments through the same service and security function as the part's page), vendors.

Every list answers in a fixed number of queries whatever its length: stock levels and
prices come for the whole page at once (parts.selectors.parts_with_stock)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from parts import selectors, services
from parts.api.serializers import (
    PartDetailSerializer,
    PartSerializer,
    StockAdjustSerializer,
    StockMovementSerializer,
    VendorSerializer,
)
from parts.filters import PartFilter, StockMovementFilter, VendorFilter
from parts.models import Part, StockMovement, Vendor, VendorPart
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError
from workorders.api.views import ServiceRefused


class PartViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The parts catalog (parts, labor, fee and sublet items), newest first, a cursor page at
    a time, each with on hand, committed and its selling price. `?q=` searches part
    numbers, vendors' numbers and description words: the best matches, best first, in one
    page. The catalog is changed on the parts pages and by vendor price files."""

    security_function = "view_parts"
    serializer_class = PartSerializer
    filterset_class = PartFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        if self.action == "retrieve":
            links = VendorPart.objects.select_related("vendor").order_by("vendor__name")
            return Part.objects.prefetch_related(Prefetch("vendor_parts", queryset=links))
        return Part.objects.order_by("-id")

    def get_serializer_class(self):
        return PartDetailSerializer if self.action == "retrieve" else PartSerializer

    def paginate_queryset(self, queryset):
        order = getattr(self.request, "parts_search_order", None)
        if order is not None:
            rows = {part.pk: part for part in queryset}
            ranked = [rows[pk] for pk in order if pk in rows]
            page = self.paginator.paginate_ranked(ranked, self.request)
        else:
            page = super().paginate_queryset(queryset)
        return selectors.parts_with_stock(page)

    def get_object(self):
        part = super().get_object()
        return selectors.parts_with_stock([part])[0]


class StockMovementViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Stock movements (never changed nor deleted), newest first, a cursor page at a time:
    received, sold (at bill-out), returned (an invoice reopened), adjusted, counted; a
    part's on hand is the sum of its movements. POST records an adjustment (damaged, lost,
    found) with its reason: the "Adjust stock" security function, as on the part's page."""

    security_functions = {"read": "view_parts", "create": "adjust_stock"}
    serializer_class = StockMovementSerializer
    filterset_class = StockMovementFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return StockMovement.objects.select_related("by").order_by("-id")

    @extend_schema(request=StockAdjustSerializer, responses={201: StockMovementSerializer})
    def create(self, request, *args, **kwargs):
        incoming = StockAdjustSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            movement = services.stock_adjust(
                by=request.user,
                part=data["part"],
                quantity=data["quantity"],
                reason=data["reason"],
            )
        except ServiceError as error:
            raise ServiceRefused(error) from None
        movement = self.get_queryset().get(pk=movement.pk)
        return Response(StockMovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class VendorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The shop's parts suppliers, by name, with contact and account number. Written
    through the same service as the Vendors page ("Edit the parts catalog")."""

    security_functions = {"read": "view_parts", "write": "edit_parts"}
    serializer_class = VendorSerializer
    filterset_class = VendorFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return Vendor.objects.order_by("-id")

    def _fields(self, serializer) -> dict:
        return dict(serializer.validated_data)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.vendor_create(
                by=self.request.user, **self._fields(serializer)
            )
        except ServiceError as error:
            raise ServiceRefused(error) from None

    def perform_update(self, serializer):
        try:
            serializer.instance = services.vendor_update(
                by=self.request.user, vendor=serializer.instance, **self._fields(serializer)
            )
        except ServiceError as error:
            raise ServiceRefused(error) from None

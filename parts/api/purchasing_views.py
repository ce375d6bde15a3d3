"""Purchase orders in the API: the list (by status and vendor) and the detail with its
lines; receiving and sending through the same services and security functions as the
purchase order's page ("Purchase orders" to list and send, "Receive and count parts" to
receive)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from parts import purchasing_selectors as selectors
from parts.api.purchasing_serializers import (
    PurchaseOrderDetailSerializer,
    PurchaseOrderReceiveSerializer,
    PurchaseOrderSendSerializer,
    PurchaseOrderSerializer,
)
from parts.filters import PurchaseOrderFilter
from parts.models import PurchaseOrder
from parts.services import purchasing
from shop.api.pagination import KeysetCursorPagination
from shop.security import SecurityRefused, can, get_function, required_level
from workorders.api.views import RefusesServiceErrors


class PurchaseOrderViewSet(
    RefusesServiceErrors, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Purchase orders to the shop's vendors, newest first, a cursor page at a time, each
    with its totals ("Purchase orders" security function). The detail has its lines (part,
    ordered, received, cost) and is open to "Purchase orders" or "Receive and count parts",
    as the order's page is. Orders are made and edited on the purchase order pages."""

    security_functions = {
        "list": "order_parts",
        "retrieve": "view_parts",
        "receive": "receive_parts",
        "send": "order_parts",
    }
    serializer_class = PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return PurchaseOrder.objects.select_related("vendor").order_by("-id")

    def get_serializer_class(self):
        return PurchaseOrderSerializer if self.action == "list" else PurchaseOrderDetailSerializer

    def paginate_queryset(self, queryset):
        return selectors.purchase_orders_with_totals(super().paginate_queryset(queryset))

    def get_object(self) -> PurchaseOrder:
        key = self.kwargs["pk"]
        if not str(key).isdigit() or int(key) > 2**63 - 1:
            raise Http404("No such purchase order.")
        try:
            order = selectors.purchase_order_detail(int(key))
        except PurchaseOrder.DoesNotExist:
            raise Http404("No such purchase order.") from None
        return selectors.purchase_orders_with_totals([order])[0]

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """A purchase order with its lines: part, ordered, received, outstanding, cost."""
        http = request._request
        if not (can(request.user, "order_parts", http) or can(request.user, "receive_parts", http)):
            refused = SecurityRefused(
                get_function("order_parts"), required_level("order_parts", http), request.user
            )
            raise PermissionDenied(str(refused.args[0]))
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=PurchaseOrderReceiveSerializer,
                   responses={200: PurchaseOrderDetailSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str) -> Response:
        """Receive parts against a sent (or partly received) order, in full or in part:
        each stocked part's receipt is a `received` stock movement that moves its average
        cost. More than is outstanding is refused unless `confirm_over` is true; a draft or
        cancelled order is refused (400, nothing changed). Answers the order as it is now."""
        order = self.get_object()
        incoming = PurchaseOrderReceiveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        # A line given 0 is nothing for that line, as a blank box on the page.
        rows = [row for row in incoming.validated_data["lines"] if row["quantity"] != 0]
        costs = {row["line"]: row["unit_cost"] for row in rows if row.get("unit_cost") is not None}
        purchasing.purchase_order_receive(
            by=request.user,
            purchase_order=order,
            quantities={row["line"]: row["quantity"] for row in rows},
            costs=costs,
            confirm_over=incoming.validated_data["confirm_over"],
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=PurchaseOrderSendSerializer,
                   responses={200: PurchaseOrderDetailSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        """Send a draft: e-mailed to the vendor with its PDF through the outbox (`email`
        true, the default; the vendor needs an e-mail address), or marked ordered (`email`
        false). Anything but a draft, or a draft without lines, is refused (400)."""
        order = self.get_object()
        incoming = PurchaseOrderSendSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        purchasing.purchase_order_send(
            by=request.user, purchase_order=order, email=incoming.validated_data["email"]
        )
        return Response(self.get_serializer(self.get_object()).data)

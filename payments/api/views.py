"""Payments and balances in the REST API, behind the pages' own security functions.

- `GET /payments/` (filter by customer, work order, business date range), newest first,
  a cursor page at a time, in a fixed number of queries; `GET /payments/{id}/`.
- `POST /payments/`: take a payment through `payment_take` (or `deposit_take`), the
  service and rules of the Take payment page. A broken rule is a 400 with the service's
  message; a balance that moved since the caller read it is a 409, nothing recorded.
- `GET /invoices/{work_order_id}/balance/`: billed, paid, balance due, paid / partial /
  unpaid.
- `GET /customers/{customer_id}/account/`: the balance, credit, A/R terms and open
  invoices by age (A/R Status).
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer
from payments import selectors, services
from payments.api import serializers
from payments.models import Payment
from payments.services import TenderInput
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError
from shop.filters import IdFilter
from shop.security import can
from workorders.api.views import RefusesServiceErrors, ServiceRefused
from workorders.models import WorkOrder
from workorders.selectors import may_see

TAKE = "take_payments"


class MoneyRefused(ServiceRefused):
    """The work orders' refusal, and a 409 when the balance moved since it was read."""

    def __init__(self, error: ServiceError):
        super().__init__(error)
        if error.code == "balance_changed":
            self.status_code = status.HTTP_409_CONFLICT


class PaymentFilter(django_filters.FilterSet):
    customer = IdFilter(field_name="customer_id", label="Customer ID")
    work_order = IdFilter(field_name="work_order_id", label="Work order ID")
    kind = django_filters.ChoiceFilter(choices=Payment.Kind.choices)
    date_from = django_filters.DateFilter(
        field_name="business_date", lookup_expr="gte", label="Business date on or after"
    )
    date_to = django_filters.DateFilter(
        field_name="business_date", lookup_expr="lte", label="Business date on or before"
    )

    class Meta:
        model = Payment
        fields = ["customer", "work_order", "kind", "date_from", "date_to"]


def _check_estimate(request: Request, work_order: WorkOrder) -> None:
    """As the pages: an estimate the caller may not see needs "view_estimates"."""
    if not may_see(request.user, work_order, request._request) and not can(
        request.user, "view_estimates", request._request
    ):
        raise PermissionDenied("You may not see this estimate.")


class PaymentViewSet(
    RefusesServiceErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Payments with their tenders; POST takes one (one or several tenders)."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ServiceError):
            exc = MoneyRefused(exc)
        return super().handle_exception(exc)

    security_functions = {"list": TAKE, "retrieve": TAKE, "create": TAKE}
    serializer_class = serializers.PaymentSerializer
    filterset_class = PaymentFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return Payment.objects.order_by("-id").prefetch_related(selectors._entries_prefetch())

    @extend_schema(
        request=serializers.PaymentTakeSerializer,
        responses={
            201: serializers.PaymentSerializer,
            400: OpenApiResponse(description="Bad input, or a rule the payment breaks."),
            403: OpenApiResponse(description="Not allowed, or a read-only token."),
            409: OpenApiResponse(description="The balance changed since it was read."),
        },
    )
    def create(self, request: Request) -> Response:
        incoming = serializers.PaymentTakeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        work_order = (
            WorkOrder.objects.select_related("status").filter(pk=data["work_order"]).first()
        )
        if work_order is None:
            return Response(
                {"work_order": [f"There is no work order #{data['work_order']}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        _check_estimate(request, work_order)
        tenders = [TenderInput(**tender) for tender in data["tenders"]]
        common = {
            "by": request.user,
            "work_order": work_order,
            "tenders": tenders,
            "drawer": data.get("drawer"),
            "business_date": data.get("business_date"),
            "note": data.get("note", ""),
        }
        if data["deposit"] and work_order.closed_at is None:
            payment = services.deposit_take(**common)
        else:
            payment = services.payment_take(
                **common,
                expected_balance=data.get("expected_balance") or None,
                keep_excess_as_credit=data["keep_excess_as_credit"],
            )
        payment = self.get_queryset().get(pk=payment.pk)
        return Response(serializers.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class InvoiceBalanceView(APIView):
    """A work order's balance: billed, paid, due, and paid / partial / unpaid."""

    security_function = TAKE

    @extend_schema(responses={200: serializers.InvoiceBalanceSerializer})
    def get(self, request: Request, work_order_id: int) -> Response:
        work_order = get_object_or_404(WorkOrder.objects.select_related("status"), pk=work_order_id)
        _check_estimate(request, work_order)
        balance = selectors.invoice_balance(work_order)
        return Response(serializers.InvoiceBalanceSerializer(balance).data)


class CustomerAccountView(APIView):
    """A customer's account: balance, unapplied credit, A/R terms, open invoices by age."""

    security_function = TAKE

    @extend_schema(responses={200: serializers.CustomerAccountSerializer})
    def get(self, request: Request, customer_id: int) -> Response:
        customer = get_object_or_404(Customer, pk=customer_id)
        terms = selectors.ar_terms(customer) if customer.is_ar else None
        found = selectors.ar_status(customer, terms=terms)
        totals = {key: amount for key, _label, amount in found.totals}
        data = {
            "customer": customer.pk,
            "is_ar": customer.is_ar,
            "credit_limit": terms.credit_limit if terms else None,
            "net_days": terms.net_days if terms else None,
            "balance": found.account.balance,
            "unapplied_credit": found.account.unapplied_credit,
            "held_on_work_orders": found.account.held_on_work_orders,
            "open_total": found.total,
            "aging": {
                "current": totals["current"],
                "days_31_60": totals["31_60"],
                "days_61_90": totals["61_90"],
                "over_90": totals["over_90"],
            },
            "as_of": found.as_of,
            "open_invoices": found.invoices,
        }
        return Response(serializers.CustomerAccountSerializer(data).data)

"""Texts customers sent to the shop (two-way texting), for outside systems and reports.

Read only: a text is answered from the conversation page (or the outbox), and it
is marked read when an advisor opens it there.
"""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets

from messaging.models import InboundMessage
from shop.api.filters import UtcIsoDateTimeFilter
from shop.api.pagination import KeysetCursorPagination
from shop.filters import IdFilter


class InboundMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "customer",
            "from_number",
            "from_e164",
            "to_number",
            "body",
            "keyword",
            "received_at",
            "read_at",
        ]
        read_only_fields = fields


class InboundMessageFilter(django_filters.FilterSet):
    customer = IdFilter(field_name="customer_id", label="Customer ID")
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only texts nobody has read yet"
    )
    received_since = UtcIsoDateTimeFilter(
        field_name="received_at", lookup_expr="gte", label="Received at or after (ISO 8601)"
    )

    class Meta:
        model = InboundMessage
        fields = ["customer", "unread", "received_since"]


class InboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Texts customers sent, newest first; matched to the customer by phone when possible."""

    security_function = "view_customer_messages"
    serializer_class = InboundMessageSerializer
    filterset_class = InboundMessageFilter
    # Newest text first, by id (texts are numbered as they arrive).
    pagination_class = KeysetCursorPagination
    queryset = InboundMessage.objects.all()

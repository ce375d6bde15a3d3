from rest_framework import viewsets

from messaging import selectors
from messaging.api.serializers import OutboundMessageSerializer
from messaging.filters import OutboundMessageFilter
from shop.api.pagination import KeysetCursorPagination


class OutboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Texts and e-mails the shop sent, with their delivery state: newest first, a cursor
    page at a time."""

    security_function = "view_customer_messages"
    serializer_class = OutboundMessageSerializer
    filterset_class = OutboundMessageFilter
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return selectors.outbound_messages().order_by("-id")

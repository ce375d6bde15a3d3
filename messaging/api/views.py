from rest_framework import viewsets

from messaging import selectors
from messaging.api.serializers import OutboundMessageSerializer
from messaging.filters import OutboundMessageFilter


class OutboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Texts and e-mails the shop sent, with their delivery state."""

    security_function = "view_customer_messages"
    serializer_class = OutboundMessageSerializer
    filterset_class = OutboundMessageFilter

    def get_queryset(self):
        return selectors.outbound_messages()

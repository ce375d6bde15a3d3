import django_filters

from outbox.models import Channel, OutboundMessage
from shop.filters import IdFilter


class OutboundMessageFilter(django_filters.FilterSet):
    customer = IdFilter(field_name="customer_id", label="Customer ID")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="Channel")
    state = django_filters.ChoiceFilter(
        choices=OutboundMessage.State.choices, label="Delivery state"
    )
    kind = django_filters.ChoiceFilter(choices=OutboundMessage.Kind.choices, label="Kind")

    class Meta:
        model = OutboundMessage
        fields = ["customer", "channel", "state", "kind"]

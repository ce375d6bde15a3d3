import django_filters

from messaging.models import Channel, OutboundMessage


class OutboundMessageFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    state = django_filters.ChoiceFilter(choices=OutboundMessage.State.choices)
    kind = django_filters.ChoiceFilter(choices=OutboundMessage.Kind.choices)

    class Meta:
        model = OutboundMessage
        fields = ["customer", "channel", "state", "kind"]

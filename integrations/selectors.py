from django.contrib.contenttypes.models import ContentType

from integrations.models import Integration
from outbox.models import Channel, OutboundMessage


def integration_list():
    return Integration.objects.select_related("created_by", "revoked_by").order_by(
        "revoked_at", "name"
    )


def webhook_deliveries(subscription, *, limit: int | None = 50):
    """The latest deliveries of a subscription with their tries: two queries."""
    deliveries = (
        OutboundMessage.objects.filter(
            channel=Channel.WEBHOOK,
            cause_type=ContentType.objects.get_for_model(type(subscription)),
            cause_id=subscription.pk,
        )
        .prefetch_related("tries")
        .order_by("-created_at", "-id")
    )
    return deliveries if limit is None else deliveries[:limit]

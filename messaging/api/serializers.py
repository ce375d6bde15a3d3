from rest_framework import serializers

from outbox.models import OutboundMessage


class OutboundMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboundMessage
        fields = [
            "id",
            "channel",
            "kind",
            "to",
            "customer",
            "subject",
            "body",
            "state",
            "attempts",
            "last_error",
            "provider_message_id",
            "created_at",
            "sent_at",
            "delivered_at",
            "failed_at",
        ]
        read_only_fields = fields

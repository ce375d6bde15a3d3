from django.contrib import admin

from messaging.models import ApprovalDecision, InboundMessage, SmsOptOut
from outbox.admin import SendAttemptInline
from outbox.models import OutboundMessage
from shop.admin_site import SecuredModelAdmin


class RecordAdmin(SecuredModelAdmin):
    """A record: what was sent or decided is shown, never added, edited or deleted here."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(RecordAdmin):
    security_function = "view_customer_messages"
    list_display = ["created_at", "channel", "kind", "to", "customer", "state", "attempts"]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["to", "idempotency_key", "provider_message_id"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "sent_by"]
    inlines = [SendAttemptInline]


@admin.register(InboundMessage)
class InboundMessageAdmin(SecuredModelAdmin):
    security_function = "view_customer_messages"
    list_display = ["received_at", "from_number", "customer", "keyword", "read_at"]
    search_fields = ["from_number", "from_e164", "body"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "read_by"]


@admin.register(SmsOptOut)
class SmsOptOutAdmin(SecuredModelAdmin):
    security_function = "send_customer_messages"
    list_display = ["e164", "created_at"]
    search_fields = ["e164"]


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(RecordAdmin):
    """Customers' decisions from their link: when, from which address and browser."""

    security_function = "view_customer_messages"
    list_display = ["decided_at", "work_order", "job", "decision", "ip_address", "user_agent"]
    list_filter = ["decision"]
    list_select_related = ["work_order", "job"]
    search_fields = ["work_order__id", "job__title", "ip_address"]

from django.contrib import admin

from fleet.models import (
    FleetAccount,
    FleetCompany,
    FleetUser,
    FleetWebhook,
    UnapprovedBillOut,
)
from outbox.admin import SendAttemptInline
from shop.admin_site import SecuredModelAdmin


@admin.register(FleetCompany)
class FleetCompanyAdmin(SecuredModelAdmin):
    security_function = "manage_fleet_companies"
    list_display = ["name", "fleet_company_id", "auto_approve_limit", "webhook_url", "is_active"]
    search_fields = ["name", "fleet_company_id"]


@admin.register(FleetAccount)
class FleetAccountAdmin(SecuredModelAdmin):
    """A customer account's fleet and invoice method."""

    security_function = "manage_fleet_companies"
    list_display = ["customer", "company", "invoice_method"]
    list_select_related = ["customer", "company"]
    raw_id_fields = ["customer"]


@admin.register(FleetUser)
class FleetUserAdmin(SecuredModelAdmin):
    """Ties a login (no role, no security level) to the fleet it decides for."""

    security_function = "manage_fleet_companies"
    list_display = ["user", "company"]
    list_select_related = ["user", "company"]
    raw_id_fields = ["user"]


class LogAdmin(SecuredModelAdmin):
    """A log the app writes: shown (and may be cleared), never added or edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnapprovedBillOut)
class UnapprovedBillOutAdmin(LogAdmin):
    security_function = "manage_fleet_companies"
    list_display = ["work_order", "company", "request_state", "by", "at"]
    list_select_related = ["company", "by"]


@admin.register(FleetWebhook)
class FleetWebhookAdmin(LogAdmin):
    """The webhooks posted to fleet networks, from the shop's outbox, with their tries."""

    security_function = "manage_fleet_companies"
    list_display = ["created_at", "event", "state", "attempts", "last_error"]
    list_filter = ["state"]
    search_fields = ["subject", "to", "body"]
    fields = [
        "created_at",
        "subject",
        "to",
        "body",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "idempotency_key",
    ]
    readonly_fields = ["created_at"]
    inlines = [SendAttemptInline]

    @admin.display(description="Event", ordering="subject")
    def event(self, obj):
        return obj.subject

from django.contrib import admin

from fleet.models import (
    FleetAccount,
    FleetCompany,
    FleetUser,
    FleetWebhookDelivery,
    UnapprovedBillOut,
)
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


@admin.register(FleetWebhookDelivery)
class FleetWebhookDeliveryAdmin(LogAdmin):
    security_function = "manage_fleet_companies"
    list_display = ["event", "company", "created_at", "sent_at", "attempts", "last_error"]
    list_select_related = ["company"]

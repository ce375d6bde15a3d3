from django.contrib import admin

from shop.admin_site import SecuredModelAdmin
from shop.models import SecurityFunctionLevel, ShopProfile, WorkerHeartbeat


@admin.register(SecurityFunctionLevel)
class SecurityFunctionLevelAdmin(SecuredModelAdmin):
    """Set Security: the owner changes the level of each function here."""

    security_function = "set_security"
    list_display = ["name", "area", "level", "default_level", "code", "updated_at"]
    list_editable = ["level"]
    list_filter = ["area", "level"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "name", "area", "default_level", "updated_at"]
    fields = ["name", "area", "code", "level", "default_level", "updated_at"]

    def has_add_permission(self, request):
        # Functions come from the code's registry; they cannot be invented here.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShopProfile)
class ShopProfileAdmin(SecuredModelAdmin):
    security_function = "edit_shop_settings"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(SecuredModelAdmin):
    security_function = "view_system_status"
    list_display = ["hostname", "seen_at", "beats"]

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from shop.admin_site import SecuredModelAdmin
from shop.models import SecurityFunctionLevel, ShopProfile, WorkerHeartbeat

# Every admin page is opened by a security function (SecuredModelAdmin), never by Django's
# own permissions, which the owner (level 1, not a superuser) does not have. The pages other
# packages register are taken off: groups are not how the shop grants access (levels are),
# the schedule comes from CELERY_BEAT_SCHEDULE (System status shows whether it runs), and
# lockouts have their own page, Locked-out logins (shop:login_lockouts).
NOT_IN_THE_SHOPS_ADMIN = [
    Group,
    PeriodicTask,
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
]
for model in NOT_IN_THE_SHOPS_ADMIN:
    if admin.site.is_registered(model):
        admin.site.unregister(model)


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

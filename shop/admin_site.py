from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest

from shop.security import SecurityRefused, can, get_function, required_level


class ShopAdminSite(admin.AdminSite):
    """The admin site, opened by security level (use_admin_site), not by is_staff."""

    site_header = "Shop administration"
    site_title = "Shop administration"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "use_admin_site", request)

    def login(self, request: HttpRequest, extra_context=None):
        return redirect_to_login(request.GET.get("next", request.get_full_path()))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise SecurityRefused(
                    get_function("use_admin_site"),
                    required_level("use_admin_site", request),
                    request.user,
                )
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)


class SecuredModelAdmin(admin.ModelAdmin):
    """A model admin whose every permission is one security function."""

    security_function: str = "use_admin_site"

    def _allowed(self, request: HttpRequest) -> bool:
        return can(request.user, self.security_function, request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class SecuredTabularInline(admin.TabularInline):
    """An inline whose every permission is one security function, like its model admin's
    (without it, the inline asks Django's model permissions and vanishes for employees)."""

    security_function: str = "use_admin_site"

    def _allowed(self, request: HttpRequest) -> bool:
        return can(request.user, self.security_function, request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

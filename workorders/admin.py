from django.contrib import admin

from shop.admin_site import SecuredModelAdmin
from workorders.models import Package, PackageLine


class PackageLineInline(admin.TabularInline):
    model = PackageLine
    extra = 2
    fields = [
        "position",
        "kind",
        "part_number",
        "description",
        "quantity",
        "unit_cost",
        "unit_price",
    ]


@admin.register(Package)
class PackageAdmin(SecuredModelAdmin):
    """Packages (canned jobs). Statuses are edited on their own page, where their rules are."""

    security_function = "edit_packages"
    list_display = ["name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "category"]
    inlines = [PackageLineInline]

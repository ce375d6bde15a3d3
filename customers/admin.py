from django.contrib import admin

from customers.models import CustomerSource
from shop.admin_site import SecuredModelAdmin


@admin.register(CustomerSource)
class CustomerSourceAdmin(SecuredModelAdmin):
    """The list of sources the counter picks from ("How they found us")."""

    security_function = "edit_customer_sources"
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]

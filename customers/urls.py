from django.urls import path

from customers.views import automatic, records, utilities

app_name = "customers"

urlpatterns = [
    path("", records.customer_list, name="list"),
    path("counter/", records.counter, name="counter"),
    path("new/", records.customer_add, name="add"),
    path("<int:customer_id>/", records.customer_detail, name="detail"),
    path("<int:customer_id>/edit/", records.customer_edit, name="edit"),
    path("<int:customer_id>/vehicles/new/", records.vehicle_add, name="vehicle_add"),
    path("vehicles/<int:vehicle_id>/edit/", records.vehicle_edit, name="vehicle_edit"),
    path("vehicles/vin-check/", records.vin_check, name="vin_check"),
    path(
        "vehicles/<int:vehicle_id>/active/", records.vehicle_set_active, name="vehicle_set_active"
    ),
]

urlpatterns += [
    path("utilities/", utilities.utilities, name="utilities"),
    path("utilities/log/<int:entry_id>/undo/", utilities.utility_undo, name="utility_undo"),
    path("utilities/combine/", utilities.combine, name="combine"),
    path("utilities/pick/", utilities.customer_pick, name="customer_pick"),
]
urlpatterns += [
    path("utilities/vehicles/", utilities.combine_vehicles, name="combine_vehicles"),
    path("utilities/phones/", utilities.duplicate_phones, name="duplicate_phones"),
    path("utilities/family/", utilities.separate_family, name="separate_family"),
    path("utilities/area-code/", utilities.area_code, name="area_code"),
    path(
        "utilities/no-invoices/",
        utilities.delete_without_history,
        name="delete_without_history",
    ),
]
urlpatterns += [
    path("utilities/combine/automatic/", automatic.combine_automatic, name="combine_automatic"),
]

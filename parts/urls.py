from django.urls import path

from parts import views, views_export, views_reports

app_name = "parts"

urlpatterns = [
    path("", views.parts_list, name="list"),
    path("typeahead/", views.typeahead, name="typeahead"),
    path("new/", views.part_edit, name="new"),
    path("<int:part_id>/", views.part_detail, name="detail"),
    path("<int:part_id>/edit/", views.part_edit, name="edit"),
    path("<int:part_id>/vendors/", views.part_vendor_set, name="vendor_set"),
    path(
        "<int:part_id>/vendors/<int:vendor_part_id>/remove/",
        views.part_vendor_remove,
        name="vendor_remove",
    ),
    path("<int:part_id>/stock/<str:action>/", views.part_stock, name="stock"),
    path("pricing/", views.pricing_matrix, name="pricing"),
    path("vendors/", views.vendor_list, name="vendors"),
    path("vendors/new/", views.vendor_edit, name="vendor_new"),
    path("vendors/<int:vendor_id>/", views.vendor_edit, name="vendor_edit"),
    path(
        "work-orders/<int:work_order_id>/jobs/<int:job_id>/lines/",
        views.line_add,
        name="line_add",
    ),
]

# The parts reports (parts/views_reports.py), listed in the reports menu.
urlpatterns += [
    path("reports/valuation/", views_reports.inventory_valuation, name="report_valuation"),
    path("reports/low-stock/", views_reports.low_stock, name="report_low_stock"),
    path("reports/sales/", views_reports.parts_sales, name="report_sales"),
    path("reports/dead-stock/", views_reports.dead_stock, name="report_dead_stock"),
]
urlpatterns += [path("export.csv", views_export.catalog_export, name="export")]

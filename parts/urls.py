from django.urls import path

from parts import views, views_export, views_price_files, views_reports

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

# Vendor price files (parts/views_price_files.py).
urlpatterns += [
    path(
        "vendors/<int:vendor_id>/price-files/",
        views_price_files.price_file_upload,
        name="price_file_upload",
    ),
    path("price-files/<int:run_id>/", views_price_files.price_file_detail, name="price_file"),
    path(
        "price-files/<int:run_id>/check/",
        views_price_files.price_file_check,
        name="price_file_check",
    ),
    path(
        "price-files/<int:run_id>/apply/",
        views_price_files.price_file_apply,
        name="price_file_apply",
    ),
    path(
        "price-files/<int:run_id>/progress/",
        views_price_files.price_file_progress,
        name="price_file_progress",
    ),
]

# Purchase orders and the physical count (parts/views_purchasing.py).
from parts import views_purchasing  # noqa: E402

urlpatterns += [
    path("orders/", views_purchasing.purchase_orders, name="purchase_orders"),
    path("orders/suggestions/", views_purchasing.suggestions, name="po_suggestions"),
    path("orders/new/", views_purchasing.purchase_order_new, name="po_new"),
    path("orders/<int:order_id>/", views_purchasing.purchase_order, name="purchase_order"),
    path("orders/<int:order_id>/pdf/", views_purchasing.purchase_order_pdf, name="po_pdf"),
    path(
        "orders/<int:order_id>/<str:action>/",
        views_purchasing.purchase_order_action,
        name="po_action",
    ),
    path(
        "work-orders/<int:work_order_id>/orders/",
        views_purchasing.work_order_orders,
        name="work_order_orders",
    ),
    path("counts/", views_purchasing.count_sheets, name="count_sheets"),
    path("counts/<int:sheet_id>/", views_purchasing.count_sheet, name="count_sheet"),
    path("counts/<int:sheet_id>/pdf/", views_purchasing.count_sheet_pdf, name="count_sheet_pdf"),
]

# The parts reports (parts/views_reports.py), listed in the reports menu.
urlpatterns += [
    path("reports/valuation/", views_reports.inventory_valuation, name="report_valuation"),
    path("reports/low-stock/", views_reports.low_stock, name="report_low_stock"),
    path("reports/sales/", views_reports.parts_sales, name="report_sales"),
    path("reports/dead-stock/", views_reports.dead_stock, name="report_dead_stock"),
]
urlpatterns += [path("export.csv", views_export.catalog_export, name="export")]

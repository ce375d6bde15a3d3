from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("source/", views.source_report, name="source"),
    path("vehicles/", views.vehicle_analysis, name="vehicle_analysis"),
    path("fleet/", views.fleet_activity, name="fleet_activity"),
    path("sources/", views.source_mapping, name="source_mapping"),
    path(
        "sources/categories/<int:category_id>/",
        views.source_category_edit,
        name="source_category_edit",
    ),
    path(
        "sources/warnings/<str:warning>/dismiss/",
        views.source_warning_dismiss,
        name="source_warning_dismiss",
    ),
    path("customers/<int:customer_id>/source/", views.customer_source, name="customer_source"),
    path("marketing-spend/", views.marketing_spend, name="marketing_spend"),
    path("settings/", views.report_settings, name="settings"),
]

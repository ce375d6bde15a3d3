from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:run_id>/", views.import_detail, name="detail"),
    path("<int:run_id>/columns/", views.import_columns, name="columns"),
    path("<int:run_id>/dry-run/", views.import_check, name="check"),
    path("<int:run_id>/choices/", views.import_choices, name="choices"),
    path("<int:run_id>/apply/", views.import_apply, name="apply"),
    path("<int:run_id>/progress/", views.import_progress, name="progress"),
    path("<int:run_id>/dry-run/progress/", views.import_checking, name="checking"),
    path("<int:run_id>/undo/", views.import_undo, name="undo"),
]

from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("", views.search_list, name="search_list"),
    path("search/new/", views.search_new, name="search_new"),
    path("search/inspections/", views.inspection_search, name="inspection_search"),
    path("search/preview/", views.search_preview, name="search_preview"),
    path("search/<int:query_id>/", views.search_edit, name="search_edit"),
    path("search/<int:query_id>/delete/", views.search_delete, name="search_delete"),
    path("search/<int:query_id>/output/", views.search_output, name="search_output"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:job_id>/run-again/", views.job_rerun, name="job_rerun"),
    path("jobs/<int:job_id>/download/<str:which>/", views.job_download, name="job_download"),
    path("last/<str:what>/", views.view_print_last, name="last"),
    path("letters/", views.templates, name="templates"),
    path("letters/new/", views.template_new, name="template_new"),
    path("letters/<int:template_id>/", views.template_edit, name="template_edit"),
    path("lists/", views.lists, name="lists"),
    path("lists/new/", views.list_new, name="list_new"),
    path("lists/<int:list_id>/", views.list_edit, name="list_edit"),
    path("lists/<int:list_id>/send/", views.list_send, name="list_send"),
    path("maintenance/", views.maintenance, name="maintenance"),
    path("settings/", views.settings_edit, name="settings"),
]

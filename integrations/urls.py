from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.integration_list, name="list"),
    path("add/", views.integration_add, name="add"),
    path("<int:integration_id>/", views.integration_edit, name="edit"),
    path("<int:integration_id>/revoke/", views.integration_revoke, name="revoke"),
]

urlpatterns += [
    path("<int:integration_id>/webhooks/add/", views.webhook_add, name="webhook_add"),
    path(
        "<int:integration_id>/webhooks/<int:subscription_id>/",
        views.webhook_detail,
        name="webhook",
    ),
    path(
        "<int:integration_id>/webhooks/<int:subscription_id>/deliveries/<int:message_id>/again/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]

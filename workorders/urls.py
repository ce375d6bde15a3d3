from django.urls import path

from workorders.views import appointments, documents, history, statuses, work_orders

app_name = "workorders"

urlpatterns = [
    path("", work_orders.work_order_list, name="list"),
    path("new/", work_orders.work_order_new, name="new"),
    path("<int:work_order_id>/", work_orders.editor, name="editor"),
    path("<int:work_order_id>/save/", work_orders.header_save, name="header_save"),
    path("<int:work_order_id>/status/", work_orders.status_change, name="status_change"),
    path("<int:work_order_id>/reopen/", work_orders.reopen, name="reopen"),
    path("<int:work_order_id>/jobs/", work_orders.job_add, name="job_add"),
    path("<int:work_order_id>/jobs/<int:job_id>/lines/", work_orders.line_add, name="line_add"),
    path("<int:work_order_id>/jobs/<int:job_id>/notes/", work_orders.job_notes, name="job_notes"),
    path(
        "<int:work_order_id>/jobs/<int:job_id>/lines/remove/",
        work_orders.line_remove,
        name="line_remove",
    ),
    path("<int:work_order_id>/pdf/", documents.work_order_pdf, name="pdf"),
    path("customer/<int:customer_id>/history/", history.customer_history, name="customer_history"),
    path("vehicle/<int:vehicle_id>/history/", history.vehicle_history, name="vehicle_history"),
    path("statuses/", statuses.status_list, name="statuses"),
    path("statuses/new/", statuses.status_edit, name="status_new"),
    path("statuses/<int:status_id>/", statuses.status_edit, name="status_edit"),
    path("statuses/<int:status_id>/delete/", statuses.status_delete, name="status_delete"),
    path("settings/", statuses.settings_edit, name="settings"),
    path("appointments/", appointments.appointment_list, name="appointments"),
    path("appointments/new/", appointments.appointment_new, name="appointment_new"),
    path(
        "appointments/<int:appointment_id>/convert/",
        appointments.appointment_convert,
        name="appointment_convert",
    ),
]

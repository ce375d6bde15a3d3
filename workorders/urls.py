from django.urls import path

from workorders.views import (
    appointments,
    board,
    documents,
    history,
    inspections,
    statuses,
    technician,
    work_orders,
)

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
        "appointments/<int:appointment_id>/",
        appointments.appointment_edit,
        name="appointment_edit",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        appointments.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:appointment_id>/convert/",
        appointments.appointment_convert,
        name="appointment_convert",
    ),
    path("board/", board.board, name="board"),
    path("board/refresh/", board.board_refresh, name="board_refresh"),
    path("board/<int:work_order_id>/status/", board.board_status, name="board_status"),
    path("board/<int:work_order_id>/priority/", board.board_priority, name="board_priority"),
    path("board/<int:work_order_id>/history/", board.board_history, name="board_history"),
    path("my-jobs/", technician.my_jobs, name="my_jobs"),
    path("my-jobs/<int:job_id>/", technician.job_detail, name="tech_job"),
    path("my-jobs/<int:job_id>/note/", technician.job_note, name="tech_job_note"),
    path("my-jobs/<int:job_id>/done/", technician.job_done, name="tech_job_done"),
    path("<int:work_order_id>/inspection/", inspections.inspection, name="inspection"),
    path(
        "<int:work_order_id>/inspection/start/",
        inspections.inspection_start,
        name="inspection_start",
    ),
    path(
        "<int:work_order_id>/inspection/items/<int:result_id>/",
        inspections.result_set,
        name="inspection_result",
    ),
    path(
        "<int:work_order_id>/inspection/items/<int:result_id>/photo/",
        inspections.photo_add,
        name="inspection_photo_add",
    ),
    path(
        "<int:work_order_id>/inspection/items/<int:result_id>/recommend/",
        inspections.recommend,
        name="inspection_recommend",
    ),
    path(
        "<int:work_order_id>/inspection/photos/<int:photo_id>/<str:size>/",
        inspections.photo_file,
        name="inspection_photo",
    ),
    path("inspection-sheets/", inspections.sheet_list, name="sheets"),
    path("inspection-sheets/<int:sheet_id>/export/", inspections.sheet_export, name="sheet_export"),
    path("inspection-sheets/<int:sheet_id>/delete/", inspections.sheet_delete, name="sheet_delete"),
]

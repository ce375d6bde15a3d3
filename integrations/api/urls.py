from django.urls import path

from integrations.api import readback, views

urlpatterns = [
    path(
        "sync/employees/<str:external_id>/",
        views.EmployeeSyncView.as_view(),
        name="sync-employee",
    ),
    path(
        "sync/appointments/<str:external_id>/",
        views.AppointmentSyncView.as_view(),
        name="sync-appointment",
    ),
    path(
        "sync/work-orders/<str:external_id>/",
        views.WorkOrderSyncView.as_view(),
        name="sync-work-order",
    ),
]

# Read-back for polling (integrations/api/readback.py).
urlpatterns += [
    path(
        "sync/changes/work-orders/",
        readback.WorkOrderChangesView.as_view(),
        name="changes-work-orders",
    ),
    path(
        "sync/changes/vehicles/",
        readback.VehicleChangesView.as_view(),
        name="changes-vehicles",
    ),
]

from django.urls import path
from rest_framework.routers import DefaultRouter

from workorders.api.inspections import BoardView, InspectionSheetViewSet, InspectionViewSet
from workorders.api.views import AppointmentViewSet, PackageViewSet, StatusViewSet, WorkOrderViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("statuses", StatusViewSet, basename="status")
router.register("work-orders", WorkOrderViewSet, basename="workorder")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("packages", PackageViewSet, basename="package")
router.register("inspection-sheets", InspectionSheetViewSet, basename="inspectionsheet")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [path("board/", BoardView.as_view(), name="api-board"), *router.urls]

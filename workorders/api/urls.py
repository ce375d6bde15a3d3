from django.urls import path

from shop.api.routers import ApiRouter
from workorders.api.inspections import BoardView, InspectionSheetViewSet, InspectionViewSet
from workorders.api.views import AppointmentViewSet, PackageViewSet, StatusViewSet, WorkOrderViewSet

router = ApiRouter()
router.register("statuses", StatusViewSet, basename="status")
router.register("work-orders", WorkOrderViewSet, basename="workorder")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("packages", PackageViewSet, basename="package")
router.register("inspection-sheets", InspectionSheetViewSet, basename="inspectionsheet")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [path("board/", BoardView.as_view(), name="api-board"), *router.urls]

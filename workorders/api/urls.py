from rest_framework.routers import DefaultRouter

from workorders.api.views import AppointmentViewSet, PackageViewSet, StatusViewSet, WorkOrderViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("statuses", StatusViewSet, basename="status")
router.register("work-orders", WorkOrderViewSet, basename="workorder")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("packages", PackageViewSet, basename="package")

urlpatterns = router.urls

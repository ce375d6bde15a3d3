from rest_framework.routers import DefaultRouter

from customers.api.views import CustomerViewSet, VehicleViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("customers", CustomerViewSet, basename="customer")
router.register("vehicles", VehicleViewSet, basename="vehicle")

urlpatterns = router.urls

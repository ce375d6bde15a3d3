from customers.api.views import CustomerViewSet, VehicleViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("vehicles", VehicleViewSet, basename="vehicle")

urlpatterns = router.urls

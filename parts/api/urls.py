from parts.api.purchasing_views import PurchaseOrderViewSet
from parts.api.views import PartViewSet, StockMovementViewSet, VendorViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("parts", PartViewSet, basename="part")
router.register("stock-movements", StockMovementViewSet, basename="stock-movement")
router.register("vendors", VendorViewSet, basename="vendor")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")

urlpatterns = router.urls

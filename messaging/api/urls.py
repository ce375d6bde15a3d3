from messaging.api.inbound import InboundMessageViewSet
from messaging.api.views import OutboundMessageViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("messages", OutboundMessageViewSet, basename="outbound-message")
router.register("inbound-messages", InboundMessageViewSet, basename="inbound-message")

urlpatterns = router.urls

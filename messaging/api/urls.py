from rest_framework.routers import DefaultRouter

from messaging.api.inbound import InboundMessageViewSet
from messaging.api.views import OutboundMessageViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("messages", OutboundMessageViewSet, basename="outbound-message")
router.register("inbound-messages", InboundMessageViewSet, basename="inbound-message")

urlpatterns = router.urls

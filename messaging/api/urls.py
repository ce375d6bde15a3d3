from rest_framework.routers import DefaultRouter

from messaging.api.views import OutboundMessageViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("messages", OutboundMessageViewSet, basename="outbound-message")

urlpatterns = router.urls

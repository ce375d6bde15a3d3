from rest_framework.routers import DefaultRouter

from followups.api.views import OutputJobViewSet, SavedQueryViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("followups/queries", SavedQueryViewSet, basename="followups-query")
router.register("followups/jobs", OutputJobViewSet, basename="followups-job")

urlpatterns = router.urls

from followups.api.views import OutputJobViewSet, SavedQueryViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("followups/queries", SavedQueryViewSet, basename="followups-query")
router.register("followups/jobs", OutputJobViewSet, basename="followups-job")

urlpatterns = router.urls

from rest_framework.routers import DefaultRouter

from shop.api.views import EmployeeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("employees", EmployeeViewSet, basename="employee")

urlpatterns = router.urls

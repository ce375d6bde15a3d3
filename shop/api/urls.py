from shop.api.routers import ApiRouter
from shop.api.views import EmployeeViewSet

router = ApiRouter()
router.register("employees", EmployeeViewSet, basename="employee")

urlpatterns = router.urls

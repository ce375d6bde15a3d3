from django.urls import path

from fleet.api import views
from fleet.api.shop import ShopFleetRequestViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("fleet-requests", ShopFleetRequestViewSet, basename="shop-fleet-request")

urlpatterns = [
    path("fleet/requests/", views.RequestListAPI.as_view(), name="fleet-request-list"),
    path("fleet/requests/<int:pk>/", views.RequestDetailAPI.as_view(), name="fleet-request-detail"),
    path(
        "fleet/requests/<int:pk>/decisions/",
        views.RequestDecisionsAPI.as_view(),
        name="fleet-request-decisions",
    ),
    path(
        "fleet/requests/<int:pk>/notes/",
        views.RequestNotesAPI.as_view(),
        name="fleet-request-notes",
    ),
]
urlpatterns += router.urls

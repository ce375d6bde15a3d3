from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from integrations.views import ApiDocsView
from shop import views as shop_views

api_v1 = [
    path("", include("shop.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("workorders.api.urls")),
    path("", include("messaging.api.urls")),
    path("", include("fleet.api.urls")),
    path("", include("followups.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("parts.api.urls")),
    path("", include("payments.api.urls")),
]

urlpatterns = [
    path("", shop_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("activate/<str:token>/", shop_views.activate, name="activate"),
    path("favicon.ico", shop_views.favicon, name="favicon"),
    path("shop/", include("shop.urls")),
    path("customers/", include("customers.urls")),
    path("workorders/", include("workorders.urls")),
    path("messages/", include("messaging.urls")),
    path("followups/", include("followups.urls")),
    path("reports/", include("reports.urls")),
    path("fleet/", include("fleet.urls")),
    path("integrations/", include("integrations.urls")),
    path("parts/", include("parts.urls")),
    path("imports/", include("imports.urls")),
    path("payments/", include("payments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
]

from django.urls import path

from shop import views

app_name = "shop"

urlpatterns = [
    path("menu/", views.menu, name="menu"),
    path("administrators/", views.administrators, name="administrators"),
    path("administrators/add/", views.administrator_add, name="administrator_add"),
    path("administrators/<int:user_id>/", views.employee_edit, name="employee_edit"),
    path(
        "administrators/<int:user_id>/resend/",
        views.administrator_resend,
        name="administrator_resend",
    ),
    path("employees/", views.employees, name="employees"),
    path("locked-out-logins/", views.login_lockouts, name="login_lockouts"),
    path("settings/", views.shop_settings, name="settings"),
    path("status/", views.system_status, name="system_status"),
]

from django.urls import path

from payments.api.views import CustomerAccountView, InvoiceBalanceView, PaymentViewSet
from shop.api.routers import ApiRouter

router = ApiRouter()
router.register("payments", PaymentViewSet, basename="payment")

urlpatterns = [
    path(
        "invoices/<int:work_order_id>/balance/",
        InvoiceBalanceView.as_view(),
        name="api-invoice-balance",
    ),
    path(
        "customers/<int:customer_id>/account/",
        CustomerAccountView.as_view(),
        name="api-customer-account",
    ),
    *router.urls,
]

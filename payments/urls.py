from django.urls import path

from payments import views, views_statements

app_name = "payments"

urlpatterns = [
    path("end-of-day/", views.end_of_day, name="end_of_day"),
    path("daily-sales/", views.daily_sales, name="daily_sales"),
    path("ar-aging/", views.ar_aging, name="ar_aging"),
    path("work-orders/<int:work_order_id>/take/", views.take, name="take"),
    path("<int:payment_id>/", views.payment_detail, name="payment_detail"),
    path("<int:payment_id>/refund/", views.refund, name="refund"),
    path("<int:payment_id>/void/", views.void, name="void"),
    path("customers/<int:customer_id>/ar-status/", views.ar_status, name="ar_status"),
    path("customers/<int:customer_id>/paid-ar/", views.paid_ar, name="paid_ar"),
    path("customers/<int:customer_id>/receive/", views.account_payment, name="account_payment"),
    path(
        "work-orders/<int:work_order_id>/charge-to-account/",
        views.charge_to_account,
        name="charge_to_account",
    ),
    path("work-orders/<int:work_order_id>/use-credit/", views.credit_use, name="credit_use"),
    path("statements/", views_statements.statements, name="statements"),
    path(
        "customers/<int:customer_id>/statement/",
        views_statements.customer_statement,
        name="customer_statement",
    ),
    path("statements/runs/<int:run_id>/", views_statements.statement_run, name="statement_run"),
    path(
        "statements/runs/<int:run_id>/progress/",
        views_statements.statement_run_progress,
        name="statement_run_progress",
    ),
    path(
        "statements/runs/<int:run_id>/file/",
        views_statements.statement_run_download,
        name="statement_run_download",
    ),
    path(
        "statements/<int:statement_id>/pdf/", views_statements.statement_pdf, name="statement_pdf"
    ),
    path(
        "statements/finance-charges/settings/",
        views_statements.finance_charge_settings,
        name="finance_charge_settings",
    ),
    path(
        "statements/finance-charges/apply/",
        views_statements.finance_charges_apply,
        name="finance_charges_apply",
    ),
]

# Pay by link (payments/views_paylink.py): the customer's pages are public (signed token).
from payments import views_paylink  # noqa: E402

urlpatterns += [
    path("pay/<str:token>/", views_paylink.pay, name="pay"),
    path("pay/<str:token>/done/", views_paylink.pay_done, name="pay_done"),
    path("pretend/<str:checkout_ref>/", views_paylink.pretend_pay, name="pretend_pay"),
    path("webhooks/<str:provider_name>/", views_paylink.webhook, name="webhook"),
    path(
        "work-orders/<int:work_order_id>/send-pay-link/",
        views_paylink.paylink_send,
        name="paylink_send",
    ),
    path(
        "work-orders/<int:work_order_id>/deposit-request/",
        views_paylink.deposit_request,
        name="deposit_request",
    ),
]

# The accountant's export and its account names (payments/views_accounting.py).
from payments import views_accounting  # noqa: E402

urlpatterns += [
    path("accounting/", views_accounting.accounting_export, name="accounting_export"),
    path(
        "accounting/settings/",
        views_accounting.accounting_settings,
        name="accounting_settings",
    ),
]

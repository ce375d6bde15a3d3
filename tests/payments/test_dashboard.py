"""The owner's dashboard shows money collected (today, this month) and A/R outstanding,
added by payments through reports.dashboard_figures; the page's queries do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from payments import services
from payments.dashboard import money_figures_compute
from tests.payments.conftest import bill_out, card, cash, work_order_write

pytestmark = pytest.mark.django_db


def _shop(advisor, owner, count: int) -> None:
    for _ in range(count):
        invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
        services.payment_take(
            by=advisor, work_order=invoice, tenders=[cash("30.00"), card("20.00")]
        )


def test_collected_today_this_month_and_ar_outstanding(owner, advisor, statuses, shop_rates):
    _shop(advisor, owner, 2)  # $100 collected today
    invoice = bill_out(work_order_write(advisor, amount="80.00"), advisor)
    today = timezone.localdate()
    if today.day > 1:  # earlier this month: in the month, not today
        services.payment_take(
            by=advisor,
            work_order=invoice,
            tenders=[cash("5.00")],
            business_date=today - timedelta(days=1),
        )
    refund_of = services.payment_take(by=advisor, work_order=invoice, tenders=[cash("10.00")])
    services.payment_refund(
        by=owner, payment=refund_of, amount="4.00", tender="cash", reason="Oops"
    )
    last_month = today.replace(day=1) - timedelta(days=1)
    services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("7.00")], business_date=last_month
    )
    Customer.objects.filter(pk=invoice.customer_id).update(is_ar=True)

    figures = money_figures_compute()
    assert figures["collected_today"] == 100 + 10 - 4
    assert figures["collected_month"] == 106 + (5 if today.day > 1 else 0)
    # The A/R customer's invoice: 80 less 5 (if taken), 10 - 4, and 7.
    assert figures["ar_outstanding"] == 80 - (5 if today.day > 1 else 0) - 6 - 7


@pytest.mark.parametrize("invoices", [1, 6])
def test_the_dashboard_shows_them_in_fixed_queries(
    client, owner, advisor, statuses, shop_rates, invoices, django_assert_max_num_queries
):
    _shop(advisor, owner, invoices)
    client.force_login(owner)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:dashboard"))
    text = response.content.decode()
    assert "Collected today" in text and f"${50 * invoices:,.2f}" in text
    assert "A/R outstanding" in text
    assert reverse("payments:ar_aging") in text  # the owner may open the aging report

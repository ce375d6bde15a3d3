"""Taking a two-tender payment through the page costs the same queries however many
payments the invoice already has (the bench row payments.take)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payments import services
from payments.models import Payment
from tests.payments.conftest import bill_out, cash, work_order_write

pytestmark = pytest.mark.django_db


def _post(client, work_order, balance: str):
    return client.post(
        reverse("payments:take", args=[work_order.pk]),
        {
            "expected_balance": balance,
            "cash_amount": "1.00",
            "cash_tendered": "1.00",
            "card_amount": "1.00",
            "card_brand": "Visa",
            "card_last4": "4242",
            "auth_code": "OK1",
        },
    )


def test_a_two_tender_payment_takes_a_fixed_number_of_queries(
    client, advisor, statuses, shop_rates
):
    client.force_login(advisor)
    # The first request of the process reads the security levels and makes the drawer.
    warm_up = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    assert _post(client, warm_up, "100.00").status_code == 302
    counts = []
    for earlier in (0, 12):
        invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
        for _ in range(earlier):
            services.payment_take(by=advisor, work_order=invoice, tenders=[cash("1.00")])
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, invoice, f"{100 - earlier:.2f}")
        assert response.status_code == 302
        counts.append(len(queries))
    # 15: the drawer's row is locked against an End of Day closing at the same moment.
    assert counts[0] == counts[1] <= 15
    assert Payment.objects.filter(amount=2).count() == 3


def test_a_stale_balance_re_renders_the_page_with_the_new_balance(
    client, advisor, statuses, shop_rates
):
    client.force_login(advisor)
    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("30.00")])
    response = _post(client, invoice, "100.00")
    assert response.status_code == 400
    assert response.context["balance"].balance == 70
    assert "The balance changed" in response.content.decode()
    assert Payment.objects.count() == 1

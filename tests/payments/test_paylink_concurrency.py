"""The provider delivering the same payment twice at the same moment (its retry racing the
first delivery): on PostgreSQL's row lock and unique constraint, one payment is recorded."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from payments import selectors, services
from payments.models import OnlineCheckout, OnlinePaymentReceipt, Payment
from payments.providers import PaymentNotice
from payments.providers.development import DevelopmentProvider
from tests.payments.conftest import bill_out, work_order_write

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_deliveries_of_one_payment_at_once_record_it_once(statuses, shop_rates, advisor):
    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    services.online_checkout_start(
        work_order_id=invoice.pk,
        success_url="http://testserver/done",
        cancel_url="http://testserver/back",
        provider=DevelopmentProvider(),
    )
    checkout = OnlineCheckout.objects.get()
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def deliver(event_id: str) -> None:
        notice = PaymentNotice(
            event_id=event_id,
            provider_payment_id="dev_pay_race",
            checkout_id=checkout.pk,
            provider_checkout_id=checkout.provider_checkout_id,
            amount=Decimal("100.00"),
            currency="usd",
        )
        try:
            barrier.wait()
            _receipt, created = services.online_payment_record(
                provider_name="development", notice=notice
            )
            outcomes.append(created)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(f"evt_{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    assert Payment.objects.count() == 1 and OnlinePaymentReceipt.objects.count() == 1
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")

"""Two cashiers paying the same invoice at the same moment, on PostgreSQL's row locks."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from payments import selectors, services
from payments.models import Payment
from shop.errors import ServiceError
from tests.payments.conftest import bill_out, cash, work_order_write

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_one_of_two_cashiers_paying_at_once_succeeds_and_the_other_is_told(
    statuses, shop_rates, advisor, owner
):
    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def pay(name, by):
        try:
            barrier.wait()
            services.payment_take(
                by=by,
                work_order=invoice.pk,
                tenders=[cash("100.00")],
                expected_balance=Decimal("100.00"),
            )
            outcomes[name] = "paid"
        except ServiceError as error:
            outcomes[name] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(n, b)) for n, b in [("a", advisor), ("b", owner)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["balance_changed", "paid"]
    assert Payment.objects.count() == 1
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")

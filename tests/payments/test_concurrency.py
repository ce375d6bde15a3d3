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


def test_end_of_day_closing_while_a_cashier_pays_counts_the_payment(
    statuses, shop_rates, advisor, owner
):
    """The cashier's payment is written but not yet committed when End of Day starts: the
    close waits for it (both lock the drawer) and counts it, so the closed day's expected
    cash is what the drawer holds, and never changes after the close."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from payments.models import DayClose

    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    drawer = services.drawer_default()
    written, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def pay():
        try:
            with transaction.atomic():
                services.payment_take(by=advisor, work_order=invoice.pk, tenders=[cash("100.00")])
                written.set()
                release.wait(10)
            outcomes["pay"] = "paid"
        except ServiceError as error:
            outcomes["pay"] = error.code
        finally:
            connections.close_all()

    def close():
        try:
            written.wait(10)
            services.day_close(
                by=owner,
                drawer=drawer,
                business_date=timezone.localdate(),
                counted={"cash": "100.00"},
            )
            outcomes["close"] = "closed"
        except ServiceError as error:
            outcomes["close"] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    written.wait(10)
    time.sleep(0.5)  # the close is now waiting on the drawer (or, unlocked, has closed)
    release.set()
    for thread in threads:
        thread.join()
    assert outcomes == {"pay": "paid", "close": "closed"}
    day = DayClose.objects.get()
    assert Decimal(day.expected["cash"]) == Decimal("100.00")
    assert day.over_short == Decimal("0.00")

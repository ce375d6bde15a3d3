"""The A/R aging report as of a day, with CSV and PDF; and the payment events."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import events, selectors, services
from tests.payments.conftest import bill_out, cash, work_order_write
from tests.workorders.test_views_pages import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_invoices(statuses, shop_rates, advisor):
    first = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    second = bill_out(work_order_write(advisor, amount="40.00", customer=first.customer), advisor)
    other = bill_out(work_order_write(advisor, amount="25.00"), advisor)
    services.payment_take(by=advisor, work_order=second, tenders=[cash("15.00")])
    return first, second, other


def test_it_ages_every_customers_open_invoices_as_of_a_day(open_invoices):
    first, _second, other = open_invoices
    today = timezone.localdate()
    report = selectors.ar_aging(today)
    assert [(r.customer_id, r.total) for r in report.rows] == [
        (first.customer_id, Decimal("125.00")),
        (other.customer_id, Decimal("25.00")),
    ]
    assert report.totals["current"] == Decimal("150.00")
    later = selectors.ar_aging(today + timedelta(days=45))
    assert later.totals["31_60"] == Decimal("150.00") and later.totals["current"] == 0
    assert selectors.ar_aging(today - timedelta(days=1)).rows == []


def test_the_aging_page_csv_and_pdf(client, open_invoices, owner, advisor):
    url = reverse("payments:ar_aging")
    client.force_login(advisor)  # level 3; the report is level 2
    assert client.get(url).status_code == 403
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert 'data-testid="aging-total">$150.00' in page
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode())))
    assert rows[-1][0] == "Total" and rows[-1][-1] == "150.00"
    assert "A/R aging" in pdf_text(client.get(url + "?format=pdf"))


def test_the_aging_report_reads_in_fixed_queries(open_invoices, advisor, django_assert_num_queries):
    for _ in range(3):
        bill_out(work_order_write(advisor, amount="10.00"), advisor)
    with django_assert_num_queries(2):
        selectors.ar_aging(timezone.localdate())


def test_it_announces_a_payment_and_a_paid_invoice(invoice, advisor):
    received, paid = [], []

    def on_received(sender, payment, by, **kwargs):
        received.append(payment.pk)

    def on_paid(sender, work_order, by, **kwargs):
        paid.append(work_order.pk)

    events.payment_received.connect(on_received, dispatch_uid="test.received")
    events.invoice_paid.connect(on_paid, dispatch_uid="test.paid")
    try:
        first = services.payment_take(by=advisor, work_order=invoice, tenders=[cash("40.00")])
        assert received == [first.pk] and paid == []
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("60.00")])
        assert len(received) == 2 and paid == [invoice.pk]
    finally:
        events.payment_received.disconnect(dispatch_uid="test.received")
        events.invoice_paid.disconnect(dispatch_uid="test.paid")

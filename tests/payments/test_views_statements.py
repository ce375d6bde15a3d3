"""The statement pages: the month's run with its progress, one customer's statement from A/R
Status and its re-print, the finance-charge settings and button; and charging to account
over the credit limit from the editor (its own function, recorded)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import (
    AccountCharge,
    FinanceCharge,
    FinanceChargeSettings,
    Statement,
    StatementRun,
)
from payments.services import ar_account_update
from payments.services import statements as statement_services
from tests.payments.conftest import bill_out, work_order_write
from tests.payments.test_statements import PERIOD, on_day
from tests.workorders.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ar_customers(monkeypatch, statuses, shop_rates, advisor):
    """Two A/R customers owing from 45 days before the month."""
    customers = []
    for name in ("Acme Plumbing", "Bolt Electric"):
        customer = CustomerFactory(is_ar=True, kind="company", company_name=name)
        with on_day(monkeypatch, PERIOD - timedelta(days=45)):
            bill_out(work_order_write(advisor, amount="120.00", customer=customer), advisor)
        customers.append(customer)
    return customers


def test_the_months_run_prints_with_a_progress_bar(
    client, owner, technician, ar_customers, django_capture_on_commit_callbacks
):
    url = reverse("payments:statements")
    client.force_login(technician)
    assert client.get(url).status_code == 403
    assert client.post(url, {"period": f"{PERIOD:%Y-%m}", "delivery": "print"}).status_code == 403
    client.force_login(owner)
    assert "Send the month's statements" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": f"{PERIOD:%Y-%m}", "delivery": "print"})
    run = StatementRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "payments:statement_run", args=[run.pk]
    )
    progress = client.get(reverse("payments:statement_run_progress", args=[run.pk]))
    page = progress.content.decode()
    assert 'value="100"' in page and "2 of 2 statements" in page and "Download PDF" in page
    download = client.get(reverse("payments:statement_run_download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_bad_month_is_refused_and_nothing_is_queued(client, owner, ar_customers):
    client.force_login(owner)
    url = reverse("payments:statements")
    future = timezone.localdate() + timedelta(days=40)
    for data, message in [
        ({"period": "", "delivery": "print"}, "This field is required"),
        ({"period": "2026-13", "delivery": "print"}, "Enter a valid date"),
        ({"period": f"{future:%Y-%m}", "delivery": "print"}, "not started yet"),
        ({"period": f"{PERIOD:%Y-%m}", "delivery": "pigeon"}, "Select a valid choice"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not StatementRun.objects.exists()


def test_one_customers_statement_from_ar_status_and_printed_again(
    client, owner, ar_customers, django_capture_on_commit_callbacks
):
    acme = ar_customers[0]
    client.force_login(owner)
    status = client.get(reverse("payments:ar_status", args=[acme.pk])).content.decode()
    assert "Send statement" in status
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("payments:customer_statement", args=[acme.pk]),
            {"period": f"{PERIOD:%Y-%m}", "delivery": "print"},
        )
    run = StatementRun.objects.get()
    assert response.url == reverse("payments:statement_run", args=[run.pk])
    assert run.customer == acme
    statement = Statement.objects.get()
    assert statement.customer == acme and statement.closing_balance == Decimal("120.00")
    status = client.get(reverse("payments:ar_status", args=[acme.pk])).content.decode()
    assert reverse("payments:statement_pdf", args=[statement.pk]) in status
    again = client.get(reverse("payments:statement_pdf", args=[statement.pk]))
    assert again["Content-Type"] == "application/pdf" and again.content.startswith(b"%PDF")


def test_a_customer_who_is_not_ar_gets_no_statement(client, owner, ar_customers):
    plain = CustomerFactory()
    client.force_login(owner)
    response = client.post(
        reverse("payments:customer_statement", args=[plain.pk]),
        {"period": f"{PERIOD:%Y-%m}", "delivery": "print"},
        follow=True,
    )
    assert "not an A/R customer" in response.content.decode()
    assert not StatementRun.objects.exists()


def test_ar_status_with_statements_in_a_fixed_number_of_queries(
    client, owner, ar_customers, django_assert_max_num_queries
):
    acme = ar_customers[0]
    client.force_login(owner)
    url = reverse("payments:ar_status", args=[acme.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
    for month in range(1, 13):
        statement = Statement(
            customer=acme,
            period=PERIOD.replace(year=PERIOD.year - 2, month=month),
            opening_balance=0,
            charges=1,
            payments=0,
            closing_balance=1,
            aging={},
            lines=[],
            created_at=timezone.now(),
        )
        statement.save()
    with django_assert_max_num_queries(16):
        assert client.get(url).content.decode().count("Print again") == 12


def test_the_runs_list_in_a_fixed_number_of_queries(
    client, owner, ar_customers, django_assert_max_num_queries
):
    client.force_login(owner)
    url = reverse("payments:statements")
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    for customer in ar_customers * 5:
        StatementRun.objects.create(period=PERIOD, customer=customer, created_by=owner)
    with django_assert_max_num_queries(14):
        assert client.get(url).content.decode().count("Bolt Electric") == 5


def test_finance_charge_settings_need_level_two(client, owner, advisor):
    url = reverse("payments:finance_charge_settings")
    data = {"enabled": "on", "rate": "1.5", "minimum": "2"}
    client.force_login(advisor)
    assert client.post(url, data).status_code == 403
    assert not FinanceChargeSettings.objects.exists()
    client.force_login(owner)
    bad = client.post(url, {**data, "rate": "40"})
    assert bad.status_code == 400 and "0 to 25" in bad.content.decode()
    assert not FinanceChargeSettings.objects.exists()
    assert client.post(url, data).status_code == 302
    row = FinanceChargeSettings.objects.get()
    assert (row.enabled, row.rate, row.minimum) == (True, Decimal("1.50"), Decimal("2.00"))


def test_the_finance_charge_button_charges_once_a_month(client, owner, advisor, ar_customers):
    url = reverse("payments:finance_charges_apply")
    client.force_login(owner)
    off = client.post(url, {"period": f"{PERIOD:%Y-%m}"})
    assert off.status_code == 400 and "Finance charges are off" in off.content.decode()
    statement_services.finance_charge_settings_update(
        by=owner, enabled=True, rate="1.50", minimum="2.00"
    )
    client.force_login(advisor)
    assert client.post(url, {"period": f"{PERIOD:%Y-%m}"}).status_code == 403
    client.force_login(owner)
    first = client.post(url, {"period": f"{PERIOD:%Y-%m}"}, follow=True).content.decode()
    assert "2 finance charges" in first and "$4.00 in all" in first
    second = client.post(url, {"period": f"{PERIOD:%Y-%m}"}, follow=True).content.decode()
    assert "0 finance charges" in second
    assert FinanceCharge.objects.count() == 2
    # A/R Status shows the charge as owed on the account, not as a negative credit.
    status = client.get(reverse("payments:ar_status", args=[ar_customers[0].pk]))
    page = status.content.decode()
    assert 'data-testid="ar-charges">$2.00<' in page and "ar-credit" not in page
    assert 'data-testid="ar-balance">$122.00<' in page


def test_over_the_credit_limit_from_the_editor_needs_its_function(
    client, statuses, shop_rates, advisor, owner
):
    """An advisor (level 3) may charge to account (level 4) but not over the limit (level 2):
    refused with the function's name, nothing charged; the owner's charge is recorded."""
    customer = CustomerFactory(is_ar=True)
    ar_account_update(by=owner, customer=customer, credit_limit="100.00", net_days="30")
    invoice = bill_out(work_order_write(advisor, amount="150.00", customer=customer), advisor)
    url = reverse("payments:charge_to_account", args=[invoice.pk])
    client.force_login(advisor)
    page = client.post(url, follow=True).content.decode()
    assert "over its $100.00 credit limit" in page and "Charge over the credit limit" in page
    assert not AccountCharge.objects.exists()
    client.force_login(owner)
    page = client.post(url, follow=True).content.decode()
    assert "over the credit limit, recorded" in page
    charge = AccountCharge.objects.get()
    assert charge.over_limit and charge.charged_by == owner
    assert charge.credit_limit == Decimal("100.00") and charge.amount == Decimal("150.00")

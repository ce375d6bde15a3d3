"""A/R pages: charge to account from the editor, payment on account, terms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from payments import selectors
from payments.models import AccountCharge, ArAccount, Payment
from tests.payments.conftest import bill_out, work_order_write
from tests.workorders.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ar_invoice(statuses, shop_rates, advisor):
    customer = CustomerFactory(is_ar=True)
    return bill_out(work_order_write(advisor, amount="250.00", customer=customer), advisor)


def test_charge_to_account_from_the_editor(client, ar_invoice, advisor, technician):
    url = reverse("payments:charge_to_account", args=[ar_invoice.pk])
    client.force_login(technician)
    assert client.post(url).status_code == 403 and not AccountCharge.objects.exists()
    client.force_login(advisor)
    editor = reverse("workorders:editor", args=[ar_invoice.pk])
    assert "Charge to account" in client.get(editor).content.decode()
    assert client.post(url).status_code == 302
    page = client.get(editor).content.decode()
    assert 'data-testid="charged-to-account"' in page and "Charge to account</button>" not in page


def test_a_non_ar_customer_is_told_and_nothing_is_charged(client, invoice, advisor):
    client.force_login(advisor)
    response = client.post(reverse("payments:charge_to_account", args=[invoice.pk]), follow=True)
    assert "not an A/R customer" in response.content.decode()
    assert not AccountCharge.objects.exists()


def test_payment_on_account_from_the_page(client, ar_invoice, advisor, technician):
    url = reverse("payments:account_payment", args=[ar_invoice.customer_id])
    client.force_login(technician)
    assert client.get(url).status_code == 403
    client.force_login(advisor)
    assert client.post(url, {"apply": "oldest", "check_amount": "100"}).status_code == 400
    assert not Payment.objects.exists()
    response = client.post(url, {"apply": "oldest", "check_amount": "100", "check_number": "2001"})
    assert response.status_code == 302
    assert selectors.invoice_balance(ar_invoice).balance == Decimal("150.00")


def test_terms_need_their_own_function(client, ar_invoice, advisor, owner):
    url = reverse("payments:ar_status", args=[ar_invoice.customer_id])
    client.force_login(advisor)
    assert "Save terms" not in client.get(url).content.decode()
    assert client.post(url, {"credit_limit": "900", "net_days": "15"}).status_code == 403
    client.force_login(owner)
    assert client.post(url, {"credit_limit": "-9", "net_days": "15"}).status_code == 400
    assert not ArAccount.objects.exists()
    assert client.post(url, {"credit_limit": "900", "net_days": "15"}).status_code == 302
    account = ArAccount.objects.get()
    assert (account.credit_limit, account.net_days) == (Decimal("900.00"), 15)

"""Payments and balances in the REST API: the pages' security functions and services, bad
input refused with nothing written, and lists in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from integrations.models import Integration
from payments import services
from payments.models import LedgerEntry, Payment
from tests.api.pages import ids, walk
from tests.integrations.factories import bearer, make_integration
from tests.payments.conftest import bill_out, card, cash, work_order_write

pytestmark = pytest.mark.django_db

TWO_TENDERS = [
    {"tender": "cash", "amount": "40.00", "amount_tendered": "50.00"},
    {
        "tender": "card",
        "amount": "60.00",
        "card_brand": "Visa",
        "card_last4": "1111",
        "auth_code": "OK1234",
    },
]


@pytest.fixture
def api(advisor):
    client = APIClient()
    client.force_authenticate(advisor)
    return client


def test_it_takes_a_two_tender_payment_through_the_service(api, invoice):
    response = api.post(
        "/api/v1/payments/",
        {"work_order": invoice.pk, "tenders": TWO_TENDERS, "expected_balance": "100.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    payment = Payment.objects.get()
    assert body["id"] == payment.pk
    assert body["amount"] == "100.00" and body["change_due"] == "10.00"
    assert [(t["tender"], t["amount"]) for t in body["tenders"]] == [
        ("cash", "40.00"),
        ("card", "60.00"),
    ]
    assert body["tenders"][1]["card_last4"] == "1111"
    assert body["applied"] == [{"work_order": invoice.pk, "amount": "100.00"}]
    assert body["voided"] is False and body["refunded"] == "0.00"
    balance = api.get(f"/api/v1/invoices/{invoice.pk}/balance/").json()
    assert balance == {
        "work_order": invoice.pk,
        "is_billed": True,
        "billed": "100.00",
        "paid": "100.00",
        "balance": "0.00",
        "state": "paid",
    }


BAD_BODIES = [
    ({"tenders": [{"tender": "cash", "amount": "-5"}]}, "amount"),
    ({"tenders": [{"tender": "cash", "amount": "0"}]}, "amount"),
    ({"tenders": [{"tender": "cash", "amount": "ten"}]}, "amount"),
    ({"tenders": [{"tender": "cash", "amount": "150.00"}]}, "amount"),  # overpaid
    ({"tenders": [{"tender": "card", "amount": "10", "card_brand": "Visa"}]}, "card_last4"),
    ({"tenders": [{"tender": "check", "amount": "10"}]}, "check_number"),
    ({"tenders": [{"tender": "gold", "amount": "10"}]}, "tenders"),
    ({"tenders": []}, "tenders"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_it_refuses_bad_input_with_a_400_and_records_nothing(api, invoice, body, field):
    response = api.post("/api/v1/payments/", {"work_order": invoice.pk, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Payment.objects.exists() and not LedgerEntry.objects.filter(kind="payment").exists()


def test_a_balance_that_moved_is_a_409_and_nothing_is_recorded(api, invoice, advisor):
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("30.00")])
    response = api.post(
        "/api/v1/payments/",
        {"work_order": invoice.pk, "tenders": TWO_TENDERS, "expected_balance": "100.00"},
        format="json",
    )
    assert response.status_code == 409
    assert "$70.00" in response.json()["detail"]
    assert Payment.objects.count() == 1


def test_it_refuses_a_work_order_not_billed_out_or_missing(api, advisor, statuses, shop_rates):
    estimate = work_order_write(advisor, amount="80.00")
    body = {"work_order": estimate.pk, "tenders": [{"tender": "cash", "amount": "20"}]}
    response = api.post("/api/v1/payments/", body, format="json")
    assert response.status_code == 400 and "not billed out" in response.json()["detail"]
    missing = api.post("/api/v1/payments/", {**body, "work_order": 999999}, format="json")
    assert missing.status_code == 400 and "work_order" in missing.json()
    assert not Payment.objects.exists()
    # A deposit on it is what the page's Take deposit does.
    deposit = api.post("/api/v1/payments/", {**body, "deposit": True}, format="json")
    assert deposit.status_code == 201 and deposit.json()["kind"] == "deposit"


def test_it_is_behind_take_payments_and_a_read_only_token_cannot_write(invoice, technician):
    client = APIClient()
    client.force_authenticate(technician)  # level 5; Take payments is level 4
    assert client.get("/api/v1/payments/").status_code == 403
    assert client.get(f"/api/v1/invoices/{invoice.pk}/balance/").status_code == 403
    assert client.get(f"/api/v1/customers/{invoice.customer_id}/account/").status_code == 403
    body = {"work_order": invoice.pk, "tenders": [{"tender": "cash", "amount": "10"}]}
    assert client.post("/api/v1/payments/", body, format="json").status_code == 403
    _integration, token = make_integration(access=Integration.Access.READ, security_level=1)
    reader = APIClient()
    assert reader.get("/api/v1/payments/", **bearer(token)).status_code == 200
    assert reader.post("/api/v1/payments/", body, format="json", **bearer(token)).status_code == 403
    assert not Payment.objects.exists()


def test_the_list_filters_and_pages_in_a_fixed_number_of_queries(
    api, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    customer_invoices = []
    for amount in ("50.00", "60.00", "70.00"):
        customer_invoices.append(bill_out(work_order_write(advisor, amount=amount), advisor))
    payments = [
        services.payment_take(by=advisor, work_order=wo, tenders=[cash("20.00"), card("5.00")])
        for wo in customer_invoices
    ]
    earlier = timezone.localdate() - timedelta(days=3)
    old = services.payment_take(
        by=advisor, work_order=customer_invoices[0], tenders=[cash("1.00")], business_date=earlier
    )
    rows = walk(api, "/api/v1/payments/", {"page_size": 2})
    assert ids(rows) == sorted([p.pk for p in [*payments, old]], reverse=True)
    # One page: the same queries for one row as for every row.
    with django_assert_max_num_queries(3):
        one = api.get("/api/v1/payments/", {"page_size": 1}).json()["results"]
    with django_assert_max_num_queries(3):
        rows = api.get("/api/v1/payments/", {"page_size": 100}).json()["results"]
    assert len(one) == 1 and len(rows) == 4
    assert [len(row["tenders"]) for row in rows] == [1, 2, 2, 2]

    by_customer = walk(api, "/api/v1/payments/", {"customer": customer_invoices[1].customer_id})
    assert ids(by_customer) == [payments[1].pk]
    by_work_order = walk(api, "/api/v1/payments/", {"work_order": customer_invoices[0].pk})
    assert ids(by_work_order) == [old.pk, payments[0].pk]
    by_date = walk(api, "/api/v1/payments/", {"date_to": earlier.isoformat()})
    assert ids(by_date) == [old.pk]
    since = walk(api, "/api/v1/payments/", {"date_from": timezone.localdate().isoformat()})
    assert len(since) == 3
    assert api.get("/api/v1/payments/", {"customer": "99999999999999999999"}).status_code == 400
    assert api.get(f"/api/v1/payments/{old.pk}/").json()["business_date"] == earlier.isoformat()


def test_the_customer_account_shows_ar_status(api, advisor, statuses, shop_rates):
    from customers.models import Customer

    invoice = bill_out(work_order_write(advisor, amount="250.00"), advisor)
    Customer.objects.filter(pk=invoice.customer_id).update(is_ar=True)
    services.ar_account_update(
        by=advisor,
        customer=Customer.objects.get(pk=invoice.customer_id),
        credit_limit=Decimal("2000.00"),
        net_days=30,
    )
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    body = api.get(f"/api/v1/customers/{invoice.customer_id}/account/").json()
    assert body["is_ar"] is True and body["credit_limit"] == "2000.00" and body["net_days"] == 30
    assert body["balance"] == "150.00" and body["open_total"] == "150.00"
    assert body["aging"] == {
        "current": "150.00",
        "days_31_60": "0.00",
        "days_61_90": "0.00",
        "over_90": "0.00",
    }
    [open_invoice] = body["open_invoices"]
    assert open_invoice["work_order"] == invoice.pk and open_invoice["balance"] == "150.00"
    assert open_invoice["age"] == "current" and open_invoice["billed"] == "250.00"
    assert api.get("/api/v1/customers/999999/account/").status_code == 404
    assert api.get("/api/v1/invoices/999999/balance/").status_code == 404

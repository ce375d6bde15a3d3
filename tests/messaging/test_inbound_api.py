"""Texts customers sent, through the API: newest first, filters, cursor pages, access."""

import pytest
from rest_framework.test import APIClient

from messaging.models import InboundMessage
from tests.customers.factories import CustomerFactory
from tests.integrations.factories import bearer, make_integration

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inbound-messages/"


def texts(count, customer=None, **fields):
    start = InboundMessage.objects.count()
    return [
        InboundMessage.objects.create(
            provider_message_id=f"SM{start + n}",
            from_number="(217) 555-0142",
            from_e164="+12175550142",
            body=f"Text {start + n}",
            customer=customer,
            **fields,
        )
        for n in range(count)
    ]


def test_an_advisor_reads_texts_newest_first_in_fixed_queries(
    advisor, django_assert_max_num_queries
):
    api = APIClient()
    api.force_authenticate(advisor)
    texts(2)
    with django_assert_max_num_queries(4) as captured:
        rows = api.get(BASE).json()["results"]
    assert [row["body"] for row in rows] == ["Text 1", "Text 0"]
    texts(30)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert len(api.get(BASE).json()["results"]) == 32


def test_it_filters_by_customer_and_unread_and_walks_pages(advisor):
    api = APIClient()
    api.force_authenticate(advisor)
    customer = CustomerFactory()
    theirs = texts(3, customer=customer)
    texts(2)
    InboundMessage.objects.filter(pk=theirs[0].pk).update(read_at="2026-11-01T10:00:00Z")
    rows = api.get(f"{BASE}?customer={customer.pk}&unread=true").json()["results"]
    assert {row["id"] for row in rows} == {theirs[1].pk, theirs[2].pk}
    seen, url = [], f"{BASE}?page_size=2"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == 5 and len(set(seen)) == 5
    assert api.get(f"{BASE}?received_since=not-a-date").status_code == 400


def test_texts_are_read_only_and_need_view_customer_messages(technician):
    texts(1)
    api = APIClient()
    _integration, token = make_integration(security_level=3)
    assert api.get(BASE, **bearer(token)).status_code == 200
    assert api.post(BASE, {"body": "x"}, **bearer(token)).status_code == 405
    assert InboundMessage.objects.count() == 1
    api.force_authenticate(technician)
    assert api.get(BASE).status_code == 403

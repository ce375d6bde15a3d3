"""A JSON body holding a NUL character is a 400 that saves nothing, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from customers.models import Customer
from shop.api.parsers import holds_nul

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


def test_it_refuses_a_nul_in_a_looked_up_field(api):
    # The customer's source is found by name: PostgreSQL refused the comparison with a 500.
    response = api.post(
        "/api/v1/customers/",
        {"first_name": "Ann", "last_name": "Lee", "source": "Yelp\u0000"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not Customer.objects.exists()


def test_it_refuses_a_nul_in_a_nested_key(api):
    response = api.post(
        "/api/v1/customers/",
        {"first_name": "Ann", "last_name": "Lee", "phones": [{"num\u0000ber": "555"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_it_takes_ordinary_unicode(api):
    response = api.post(
        "/api/v1/customers/",
        {"first_name": "Zoë", "last_name": "Ødegård 🚗"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Customer.objects.get().last_name == "Ødegård 🚗"


def test_holds_nul_looks_everywhere():
    assert holds_nul({"a": [1, {"b": "x\x00"}]})
    assert holds_nul({"\x00": 1})
    assert not holds_nul({"a": [1, None, True, {"b": "x"}]})

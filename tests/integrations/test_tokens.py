"""Integration tokens: Bearer authentication, access, levels, revocation, rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from customers.models import Customer
from integrations.models import Integration
from tests.integrations.factories import bearer, make_integration

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def _forget_rate_counts(*integrations):
    # Only these keys: in CI the cache is Redis, shared with the broker.
    cache.delete_many([f"throttle_integration_{i.pk}" for i in integrations])


def test_it_reads_with_a_good_token_and_keeps_only_the_hash(client):
    integration, token = make_integration(access=Integration.Access.READ)
    response = client.get(CUSTOMERS, **bearer(token))
    assert response.status_code == 200
    integration.refresh_from_db()
    assert token not in integration.token_hash
    assert token.startswith(integration.token_prefix)
    assert integration.last_used_at is not None


def test_it_refuses_an_unknown_token_with_401(client):
    response = client.get(CUSTOMERS, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_revoked_token_with_401(client, owner):
    from integrations.services import integration_revoke

    integration, token = make_integration(by=owner)
    integration_revoke(by=owner, integration=integration)
    response = client.get(CUSTOMERS, **bearer(token))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_it_refuses_a_read_only_token_writing_with_403_and_saves_nothing(client):
    _integration, token = make_integration(access=Integration.Access.READ)
    response = client.post(
        CUSTOMERS,
        {"first_name": "Ann", "last_name": "Lee"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 403
    assert "read only" in response.json()["detail"]
    assert not Customer.objects.exists()


def test_it_lets_a_read_write_token_write(client):
    _integration, token = make_integration(access=Integration.Access.READ_WRITE)
    response = client.post(
        CUSTOMERS,
        {"first_name": "Ann", "last_name": "Lee"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 201, response.content
    assert Customer.objects.filter(last_name="Lee").exists()


def test_it_applies_set_security_to_the_tokens_level(client):
    # Looking up customers needs level 4 by default: a level-5 token is refused.
    _low, low_token = make_integration(name="Tablet", security_level=5)
    _high, high_token = make_integration(name="POS", security_level=4)
    refused = client.get(CUSTOMERS, **bearer(low_token))
    assert refused.status_code == 403
    assert "Look up customers" in refused.json()["detail"]
    assert client.get(CUSTOMERS, **bearer(high_token)).status_code == 200


def test_it_writes_last_used_at_at_most_once_a_minute(client, django_assert_num_queries):
    integration, token = make_integration()
    client.get(CUSTOMERS, **bearer(token))
    integration.refresh_from_db()
    first = integration.last_used_at
    client.get(CUSTOMERS, **bearer(token))
    integration.refresh_from_db()
    assert integration.last_used_at == first
    Integration.objects.filter(pk=integration.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )
    client.get(CUSTOMERS, **bearer(token))
    integration.refresh_from_db()
    assert integration.last_used_at > first


@override_settings(INTEGRATION_API_RATE="3/min")
def test_it_limits_the_rate_per_token(client, advisor):
    first, one = make_integration(name="One")
    second, two = make_integration(name="Two")
    _forget_rate_counts(first, second)
    codes = [client.get(CUSTOMERS, **bearer(one)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another token has its own count; employees' sessions are not limited here.
    assert client.get(CUSTOMERS, **bearer(two)).status_code == 200
    client.force_login(advisor)
    assert [client.get(CUSTOMERS).status_code for _ in range(4)] == [200] * 4


def test_it_keeps_the_session_for_employees(client, advisor):
    client.force_login(advisor)
    assert client.get(CUSTOMERS).status_code == 200


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails to connect.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_it_answers_a_token_while_the_cache_is_unreachable_and_logs_it(client, caplog):
    _integration, token = make_integration(access=Integration.Access.READ)
    with override_settings(CACHES=UNREACHABLE_CACHE), caplog.at_level("WARNING"):
        response = client.get(CUSTOMERS, **bearer(token))
    assert response.status_code == 200, response.content
    assert "cache is unreachable" in caplog.text


def test_it_writes_with_a_token_while_the_cache_is_unreachable(client):
    _integration, token = make_integration(access=Integration.Access.READ_WRITE)
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.post(
            CUSTOMERS,
            {"first_name": "Ann", "last_name": "Lee"},
            content_type="application/json",
            **bearer(token),
        )
    assert response.status_code == 201, response.content
    assert Customer.objects.filter(last_name="Lee").exists()

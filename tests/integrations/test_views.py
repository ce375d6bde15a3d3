"""The Integrations page: a level-1 user makes, changes and revokes tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import Integration
from integrations.services import token_hash
from tests.integrations.factories import make_integration

pytestmark = pytest.mark.django_db


def test_it_lists_integrations_for_the_owner_only(
    client, owner, advisor, django_assert_max_num_queries
):
    for number in range(3):
        make_integration(by=owner, name=f"System {number}")
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("integrations:list"))
    assert response.status_code == 200
    assert b"System 2" in response.content
    client.force_login(advisor)
    assert client.get(reverse("integrations:list")).status_code == 403


def test_it_shows_the_token_once_and_keeps_its_hash(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("integrations:add"),
        {"name": "Inspection tablet", "access": "read", "security_level": "3"},
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token.encode() in response.content
    integration = Integration.objects.get(name="Inspection tablet")
    assert integration.token_hash == token_hash(token)
    assert integration.created_by == owner
    assert integration.user.security_level == 3 and integration.user.role == ""
    # The list never shows it again.
    assert token.encode() not in client.get(reverse("integrations:list")).content


def test_it_refuses_a_duplicate_name_and_makes_nothing(client, owner):
    make_integration(by=owner, name="POS")
    client.force_login(owner)
    response = client.post(
        reverse("integrations:add"), {"name": "pos", "access": "read", "security_level": "3"}
    )
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert Integration.objects.count() == 1


def test_it_refuses_the_add_page_to_an_advisor(client, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("integrations:add"), {"name": "X", "access": "read", "security_level": "3"}
    )
    assert response.status_code == 403
    assert not Integration.objects.exists()


def test_it_changes_access_and_level(client, owner):
    integration, _token = make_integration(by=owner, access="read")
    client.force_login(owner)
    response = client.post(
        reverse("integrations:edit", args=[integration.pk]),
        {"access": "read_write", "security_level": "2"},
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    integration.user.refresh_from_db()
    assert integration.access == "read_write"
    assert integration.security_level == 2 and integration.user.security_level == 2


def test_it_revokes_a_token(client, owner, advisor):
    integration, _token = make_integration(by=owner)
    client.force_login(advisor)
    assert client.post(reverse("integrations:revoke", args=[integration.pk])).status_code == 403
    client.force_login(owner)
    response = client.post(reverse("integrations:revoke", args=[integration.pk]))
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.revoked_at is not None and integration.revoked_by == owner


def test_it_serves_the_api_docs_locally(client, owner, advisor):
    client.force_login(owner)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    client.force_login(advisor)
    assert client.get(reverse("api-docs")).status_code == 403


def test_it_documents_the_bearer_token_in_the_schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["integrationToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["integrationToken"]["description"],
    }

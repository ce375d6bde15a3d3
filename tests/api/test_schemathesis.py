"""schemathesis against the OpenAPI schema: no 5xx and no response that breaks the schema.

Every GET operation of /api/v1/ is called with generated parameters (a bounded number
of cases each), authenticated with a level-1 read-only integration token, over WSGI.
Writes are covered by each app's own tests; a read-only token makes every generated
write a 403 here, so they are left out to keep the run short.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from integrations.models import Integration
from tests.integrations.factories import make_integration

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
reads = schema.include(method="GET", path_regex=r"^/api/v1/")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI app must not close the test's connection
    at the end of each request (it would, on PostgreSQL, with CONN_MAX_AGE)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    _integration, token = make_integration(
        name="schemathesis", access=Integration.Access.READ, security_level=1
    )
    return token


@reads.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_the_api_matches_its_schema(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )

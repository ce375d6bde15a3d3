"""schemathesis against the OpenAPI schema: no 5xx and no response that breaks the schema.

Every operation of /api/v1/ is called with generated parameters (a bounded number of
cases each), authenticated with a level-1 integration token, over WSGI: GETs with a
read-only token, writes (POST, PUT, PATCH, DELETE) with a read-write one against a small
shop (a customer, a vehicle, a work order with a job and lines, an appointment, a package,
an inspection, a saved query), so that some generated ids and bodies reach real code.
A read-only token writing is refused with a 403 on every write operation.

Writes run schemathesis' generated phase only, WRITE_EXAMPLES cases per operation (valid and
invalid bodies alike): its coverage phase adds dozens of fixed cases per operation and took
the file past two minutes. The whole file takes about 80 s on PostgreSQL.
The fleet portal's writes (/api/v1/fleet/requests/...) answer a token with 403, as they
answer every login but a fleet user's; they are exercised in tests/fleet/test_api.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from integrations.models import Integration
from shop.models import ShopProfile
from tests.followups.factories import SavedQueryFactory
from tests.integrations.factories import make_integration
from tests.workorders.factories import VehicleFactory, brake_package, inspection_sheet
from workorders import services as workorder_services
from workorders.models import InspectionResult, WorkOrder
from workorders.seeding import statuses_ensure

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
reads = schema.include(method="GET", path_regex=r"^/api/v1/")
writes = schema.include(method=WRITE_METHODS, path_regex=r"^/api/v1/")

WRITE_EXAMPLES = 25  # 40 found nothing more than 25 did
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BOUNDED = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


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


@pytest.fixture
def write_token(db, settings):
    # Generated cases come faster than an outside system's rate; the limit has its own tests.
    settings.INTEGRATION_API_RATE = "100000/min"
    _integration, token = make_integration(
        name="schemathesis writes", access=Integration.Access.READ_WRITE, security_level=1
    )
    return token


@pytest.fixture
def shop(db, settings, tmp_path, owner, technician):
    """The records generated ids and bodies may hit: {path parameter name: id}."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses = statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("8.250")}
    )
    vehicle = VehicleFactory()
    package = brake_package()
    work_order = workorder_services.workorder_create(
        by=owner, vehicle=vehicle, odometer_in=84210, default_technician=technician
    )
    job = workorder_services.job_add_package(
        by=owner, work_order=work_order, version=None, package=package
    )
    work_order = workorder_services.workorder_status_set(
        by=owner, work_order=work_order, version=None, status=statuses[7]
    )
    appointment = workorder_services.appointment_create(
        by=owner,
        vehicle=vehicle,
        starts_at=timezone.now() + timedelta(days=1),
        concern="Squeal when braking",
    )
    sheet = inspection_sheet()
    inspection = workorder_services.inspection_start(by=owner, work_order=work_order, sheet=sheet)
    return {
        "customers": vehicle.customer_id,
        "vehicles": vehicle.pk,
        "work-orders": work_order.pk,
        "appointments": appointment.pk,
        "statuses": statuses[7].pk,
        "inspection-sheets": sheet.pk,
        "inspections": inspection.pk,
        "result_id": InspectionResult.objects.filter(inspection=inspection).first().pk,
        "queries": SavedQueryFactory().pk,
        # Body fields naming other records.
        "customer": vehicle.customer_id,
        "vehicle": vehicle.pk,
        "job": job.pk,
        "package": package.pk,
        "technician": technician.pk,
    }


def _aim_at_the_shop(case, shop: dict) -> None:
    """Point about half of the generated ids at records that exist (the other half stays
    as generated, mostly missing), so that both the 404s and the real code are reached."""
    segments = case.path.strip("/").split("/")
    for name, value in case.path_parameters.items():
        # {id} is the id of the collection named just before it; other names stand alone.
        collection = segments[segments.index(f"{{{name}}}") - 1]
        known = shop.get(collection if name == "id" else name)
        if known is not None and hash(str(value)) % 2 == 0:
            case.path_parameters[name] = known
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            known = name in {"customer", "vehicle", "job", "package", "technician"}
            if known and isinstance(value, int) and value % 2 == 0:
                case.body[name] = shop[name]
        # A work order's writes name the version read; the current one lets them through.
        version = case.body.get("version")
        if isinstance(version, int) and version % 2 == 0:
            case.body["version"] = WorkOrder.objects.get(pk=shop["work-orders"]).version


@reads.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_the_api_matches_its_schema(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)


@writes.parametrize()
@settings(BOUNDED, max_examples=WRITE_EXAMPLES, phases=[Phase.generate])
@pytest.mark.django_db
def test_the_api_writes_match_their_schema(case, write_token, shop):
    _aim_at_the_shop(case, shop)
    response = case.call(headers={"Authorization": f"Bearer {write_token}"})
    case.validate_response(response, checks=CHECKS)


def _write_operations() -> list[tuple[str, str]]:
    operations = [result.ok() for result in writes.get_all_operations()]
    return [(op.method.upper(), op.path) for op in operations]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _write_operations())
def test_a_read_only_token_is_refused_every_write(method, path, token):
    url = re.sub(r"\{[^}]+\}", "1", path)
    response = APIClient().generic(
        method, url, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 403, (method, url, response.content[:300])

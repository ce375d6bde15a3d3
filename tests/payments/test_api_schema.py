"""schemathesis on the money API's operations alone (tests/api/test_schemathesis.py walks
every operation; this file runs only ours, so a change here is checked in seconds): no
5xx, every answer as the schema says, reads with a read-only token and writes with a
read-write one against a billed-out invoice."""

from __future__ import annotations

import pytest
from hypothesis import Phase, settings

from tests.api.test_schemathesis import (  # noqa: F401 (fixtures)
    BOUNDED,
    CHECKS,
    _keep_the_test_connection,
    schema,
    token,
    write_token,
)
from tests.payments.conftest import bill_out, work_order_write

MONEY = r"^/api/v1/(payments/|invoices/|customers/\{customer_id\}/account/)"
reads = schema.include(method="GET", path_regex=MONEY)
writes = schema.include(method="POST", path_regex=MONEY)


@pytest.fixture
def billed(db, owner):
    from decimal import Decimal

    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    return bill_out(work_order_write(owner, amount="100.00"), owner)


def test_the_money_operations_are_in_the_schema():
    paths = {op.ok().path for op in schema.include(path_regex=MONEY).get_all_operations()}
    assert paths == {
        "/api/v1/payments/",
        "/api/v1/payments/{id}/",
        "/api/v1/invoices/{work_order_id}/balance/",
        "/api/v1/customers/{customer_id}/account/",
    }


@reads.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_the_money_reads_match_the_schema(case, token, billed):  # noqa: F811
    for name in case.path_parameters:
        if hash(str(case.path_parameters[name])) % 2 == 0:
            case.path_parameters[name] = billed.customer_id if name == "customer_id" else billed.pk
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)


@writes.parametrize()
@settings(BOUNDED, max_examples=30, phases=[Phase.generate])
@pytest.mark.django_db
def test_taking_a_payment_matches_the_schema(case, write_token, billed):  # noqa: F811
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("work_order"), int) and body["work_order"] % 2 == 0:
        body["work_order"] = billed.pk
    response = case.call(headers={"Authorization": f"Bearer {write_token}"})
    case.validate_response(response, checks=CHECKS)

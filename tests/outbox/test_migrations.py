"""The outbox moved out of messaging with its rows, and fleet's old deliveries moved in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("messaging", "0004_webhookreceipt_received_at_index"),
    ("fleet", "0002_request_updated_index"),
    ("outbox", None),
]


def migrate(targets):
    """Migrate the test database to `targets`; return the models as they are there."""
    MigrationExecutor(connection).migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_messages_their_tries_and_fleet_deliveries_survive_the_move():
    try:
        old = migrate(BEFORE)
        Customer = old.get_model("customers", "Customer")
        Message = old.get_model("messaging", "OutboundMessage")
        Attempt = old.get_model("messaging", "SendAttempt")
        Company = old.get_model("fleet", "FleetCompany")
        Delivery = old.get_model("fleet", "FleetWebhookDelivery")
        now = timezone.now()
        customer = Customer.objects.create(first_name="Ann", last_name="Lee")
        text = Message.objects.create(
            channel="sms",
            to="+13125550100",
            body="Ready",
            idempotency_key="before-the-move",
            customer=customer,
            state="sent",
            next_attempt_at=now,
        )
        Attempt.objects.create(message=text, number=1, started_at=now, error="HTTP 503")
        company = Company.objects.create(
            name="Rapid Rentals",
            fleet_company_id="RR-100",
            webhook_url="https://fleet.example/hooks",
            webhook_secret="s3cret",
        )
        Delivery.objects.create(company=company, event="repair_order.submitted", body="{}")
        waiting = Delivery.objects.create(
            company=company, event="repair_order.cancelled", body='{"a":1}', attempts=2
        )
        Delivery.objects.filter(pk=waiting.pk).update(
            created_at=now - timedelta(days=2), last_error="HTTP 502"
        )
        Delivery.objects.create(
            company=company, event="repair_order.submitted", body="{}", attempts=6, last_error="x"
        )
        Delivery.objects.create(
            company=company, event="repair_order.submitted", body="{}", sent_at=now, attempts=1
        )
    finally:
        new = migrate(leaves())

    Message = new.get_model("outbox", "OutboundMessage")
    Attempt = new.get_model("outbox", "SendAttempt")
    moved = Message.objects.get(idempotency_key="before-the-move")
    assert moved.pk == text.pk and moved.customer_id == customer.pk and moved.state == "sent"
    assert list(Attempt.objects.values_list("message_id", "error")) == [(text.pk, "HTTP 503")]

    fleet = Message.objects.filter(idempotency_key__startswith="fleet:").order_by("pk")
    assert [(m.subject, m.state, m.attempts) for m in fleet] == [
        ("repair_order.submitted", "queued", 0),
        ("repair_order.cancelled", "queued", 2),
        ("repair_order.submitted", "failed", 6),
        ("repair_order.submitted", "sent", 1),
    ]
    relayed = fleet[1]
    assert relayed.to == "https://fleet.example/hooks" and relayed.body == '{"a":1}'
    assert relayed.channel == "webhook" and relayed.cause_id == company.pk
    assert relayed.cause_type.model == "fleetcompany" and relayed.last_error == "HTTP 502"
    assert relayed.created_at < now - timedelta(days=1)
    assert fleet[2].last_error.startswith("Gave up after 6 tries.")
    # The moved table keeps numbering after its rows.
    later = Message.objects.create(
        channel="sms", to="+13125550101", body="x", idempotency_key="after", next_attempt_at=now
    )
    assert later.pk > fleet.last().pk

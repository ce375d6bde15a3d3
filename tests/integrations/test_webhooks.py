"""Outbound webhooks: signed deliveries through the outbox, retries, the log, redelivery."""

from __future__ import annotations

import json
import socket
import time

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from integrations import services as integration_services
from integrations.models import WebhookEvent, WebhookSubscription
from integrations.webhooks import sign, verify
from outbox.models import Channel, OutboundMessage
from tests.fleet import conftest as fleet_fixtures
from tests.integrations.factories import make_integration
from tests.integrations.receiver import running_receiver
from tests.workorders.factories import inspection_sheet
from workorders import services
from workorders.models import Status

pytestmark = pytest.mark.django_db

# A fleet account's estimate (one job, two lines) from the fleet's tests.
company, account, fleet_work_order = (
    fleet_fixtures.company,
    fleet_fixtures.account,
    fleet_fixtures.fleet_work_order,
)


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def subscribe(owner, url, events, name="Counter POS"):
    integration, _token = make_integration(by=owner, name=name)
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url=url, events=events
    )


def test_it_signs_and_checks_a_signature():
    signature = sign("whsec_x", 1_700_000_000, '{"a":1}')
    assert verify(
        "whsec_x", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_000_100
    )
    assert not verify(
        "whsec_y", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_000_100
    )
    assert not verify(
        "whsec_x", timestamp="1700000000", body='{"a":2}', signature=signature, now=1_700_000_100
    )
    # Older than five minutes: a replay.
    assert not verify(
        "whsec_x", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_001_000
    )


def test_it_delivers_status_changes_signed_after_commit(
    owner, advisor, estimate, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(
        owner,
        receiver.url,
        [WebhookEvent.WORK_ORDER_STATUS_CHANGED, WebhookEvent.WORK_ORDER_CLOSED],
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.workorder_status_set(
            by=advisor, work_order=estimate, version=None, status=Status.objects.get(number=8)
        )
    # Inside the request only a row was written; nothing was sent yet.
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.state == OutboundMessage.State.QUEUED and receiver.received == []
    for callback in callbacks:
        callback()
    [delivery] = receiver.events("work_order.status_changed")
    headers = delivery.headers
    assert verify(
        subscription.secret,
        timestamp=headers["X-Shop-Timestamp"],
        body=delivery.body,
        signature=headers["X-Shop-Signature"],
    )
    assert delivery.json["data"]["id"] == estimate.pk
    assert delivery.json["data"]["status_number"] == 8
    assert headers["X-Shop-Event-Id"] == delivery.json["id"]
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.SENT
    # Other events of this work order (changed) were not subscribed: nothing else came.
    assert len(receiver.received) == 1


def test_it_retries_a_failing_receiver_with_backoff_and_redelivers(
    client, owner, advisor, estimate, receiver, django_capture_on_commit_callbacks
):
    from outbox.services import outbound_message_send

    receiver.answers = [503]
    subscription = subscribe(owner, receiver.url, [WebhookEvent.WORK_ORDER_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Squeak")
    # The first try met a 503; the outbox tried again (at once here, where tasks run
    # inline; after its backoff in the worker) with the same event id.
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.state == OutboundMessage.State.SENT and message.attempts == 2
    [failed_try, good_try] = message.tries.all()
    assert "503" in failed_try.error and failed_try.retry_in > 0 and good_try.succeeded
    first, second = receiver.received
    assert first.headers["X-Shop-Event-Id"] == second.headers["X-Shop-Event-Id"]

    # The delivery log shows both tries; the owner sends it again from there.
    url = reverse("integrations:webhook", args=[subscription.integration_id, subscription.pk])
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "503" in page.content.decode()
    again = reverse(
        "integrations:webhook_redeliver",
        args=[subscription.integration_id, subscription.pk, message.pk],
    )
    client.force_login(advisor)
    assert client.post(again).status_code == 403
    client.force_login(owner)
    response = client.post(again, follow=True)
    assert "on its way again" in response.content.decode()
    # A new outbox row for the worker, with the same body and event id.
    again_message = OutboundMessage.objects.exclude(pk=message.pk).get(channel=Channel.WEBHOOK)
    assert again_message.body == message.body and again_message.sent_by == owner
    outbound_message_send(message_id=again_message.pk)
    assert len(receiver.received) == 3
    assert receiver.received[2].headers["X-Shop-Event-Id"] == first.headers["X-Shop-Event-Id"]


def test_a_dead_receiver_never_slows_the_request(
    owner, advisor, estimate, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscribe(owner, f"http://127.0.0.1:{port}/gone", [WebhookEvent.WORK_ORDER_CHANGED])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False):
        services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Rattle")
    assert time.monotonic() - started < 1
    # The worker meets the dead receiver and schedules a retry.
    from outbox.services import outbound_message_send

    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    outcome = outbound_message_send(message_id=message.pk)
    assert outcome.state == OutboundMessage.State.QUEUED and outcome.retry_in


def test_it_sends_vehicle_changes(owner, vehicle, receiver, django_capture_on_commit_callbacks):
    subscribe(owner, receiver.url, [WebhookEvent.VEHICLE_CHANGED])
    from customers import services as customer_services

    with django_capture_on_commit_callbacks(execute=True):
        customer_services.vehicle_update(by=owner, vehicle=vehicle, plate="ABC123")
    [delivery] = receiver.events("vehicle.changed")
    assert delivery.json["data"]["plate"] == "ABC123"


def test_customers_message_lists_leave_webhooks_out(owner, estimate, receiver):
    from messaging import selectors

    subscribe(owner, "http://127.0.0.1:9/none", [WebhookEvent.WORK_ORDER_CHANGED])
    services.workorder_update(by=owner, work_order=estimate, version=None, concern="Squeal")
    assert OutboundMessage.objects.filter(channel=Channel.WEBHOOK).exists()
    assert not selectors.outbound_messages().filter(channel=Channel.WEBHOOK).exists()


def test_the_owner_adds_a_webhook_and_an_advisor_cannot(client, owner, advisor):
    integration, _token = make_integration(by=owner)
    url = reverse("integrations:webhook_add", args=[integration.pk])
    data = {"url": "https://pos.example/hooks", "events": ["work_order.closed"], "is_active": "on"}
    client.force_login(advisor)
    assert client.post(url, data).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"url": "not a url", "events": []})
    assert bad.status_code == 200 and not WebhookSubscription.objects.exists()
    response = client.post(url, data)
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert subscription.events == ["work_order.closed"] and subscription.secret.startswith("whsec_")
    edit = client.get(reverse("integrations:edit", args=[integration.pk]))
    assert "https://pos.example/hooks" in edit.content.decode()


def as_json(value):
    """A value as the delivery's body carries it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def assert_signed(delivery, subscription):
    assert verify(
        subscription.secret,
        timestamp=delivery.headers["X-Shop-Timestamp"],
        body=delivery.body,
        signature=delivery.headers["X-Shop-Signature"],
    )
    assert delivery.headers["X-Shop-Event-Id"] == delivery.json["id"]


@pytest.fixture
def other_receiver():
    with running_receiver() as receiver:
        yield receiver


def test_it_delivers_a_completed_inspection_once_to_its_subscribers(
    owner, advisor, technician, estimate, receiver, other_receiver,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    subscription = subscribe(owner, receiver.url, [WebhookEvent.INSPECTION_COMPLETED])
    bystander = subscribe(
        owner, other_receiver.url, [WebhookEvent.VEHICLE_CHANGED], name="Bystander"
    )
    inspection = services.inspection_start(
        by=technician, work_order=estimate, sheet=inspection_sheet()
    )
    first, second, last = inspection.results.order_by("position")
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_result_set(by=technician, result=first, rating="green")
        services.inspection_result_set(by=technician, result=second, rating="red")
    assert receiver.received == []  # not completed yet
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_result_set(by=technician, result=last, rating="yellow")
        # Rating again after it completed sends nothing more.
        services.inspection_result_set(by=technician, result=first, rating="yellow")

    [delivery] = receiver.received
    assert delivery.headers["X-Shop-Event"] == "inspection.completed"
    assert_signed(delivery, subscription)
    inspection.refresh_from_db()
    assert delivery.json["event"] == "inspection.completed"
    assert delivery.json["data"] == as_json(
        {
            "id": inspection.pk,
            "url": f"/api/v1/inspections/{inspection.pk}/",
            "work_order_id": estimate.pk,
            "work_order_url": f"/api/v1/work-orders/{estimate.pk}/",
            "vehicle_id": estimate.vehicle_id,
            "sheet_name": "Courtesy check",
            "technician_id": technician.pk,
            "started_at": inspection.started_at,
            "completed_at": inspection.completed_at,
            # As they were when it completed (the re-rating came after).
            "counts": {"green": 1, "yellow": 1, "red": 1},
        }
    )
    assert other_receiver.received == []
    assert not OutboundMessage.objects.filter(cause_id=bystander.pk).exists()


def test_it_delivers_each_fleet_decision_to_its_subscribers(
    owner, advisor, fleet_work_order, receiver, other_receiver,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from fleet import services as fleet_services
    from fleet.models import FleetRequestLine

    subscription = subscribe(owner, receiver.url, [WebhookEvent.FLEET_DECISION])
    bystander = subscribe(
        owner, other_receiver.url, [WebhookEvent.INSPECTION_COMPLETED], name="Bystander"
    )
    brakes, wipers = fleet_work_order.lines.order_by("id").values_list("id", flat=True)
    request = fleet_services.fleet_request_submit(by=advisor, work_order=fleet_work_order)

    def decide(*pairs):
        with django_capture_on_commit_callbacks(execute=True):
            fleet_services.fleet_request_decide(
                request=request,
                version=1,
                decisions=[{"line": k, "decision": d, "reason": r} for k, d, r in pairs],
                by_name="Fran Fleet",
            )

    decide((brakes, "approved", ""), (wipers, "denied", "Not covered"))
    decide((brakes, "approved", ""))  # the same decision again: no new event

    [delivery] = receiver.received
    assert delivery.headers["X-Shop-Event"] == "fleet.decision"
    assert_signed(delivery, subscription)
    request.refresh_from_db()
    version = request.versions.get()
    lines = {line.line_key: line for line in FleetRequestLine.objects.filter(version=version)}
    job = fleet_work_order.test_job
    assert delivery.json["data"] == as_json(
        {
            "id": request.pk,
            "url": f"/api/v1/fleet-requests/{request.pk}/",
            "work_order_id": fleet_work_order.pk,
            "work_order_url": f"/api/v1/work-orders/{fleet_work_order.pk}/",
            "company_id": request.company_id,
            "fleet_company_id": request.company.fleet_company_id,
            "version": 1,
            "state": "partial",
            "decided_by": "Fran Fleet",
            "decided_at": version.decided_at,
            "jobs": [
                {
                    "job_id": job.pk,
                    "title": "Brakes and wipers",
                    "decision": "partial",
                    "lines": [
                        {
                            "line_id": key,
                            "description": lines[key].description,
                            "amount": str(lines[key].amount),
                            "decision": decision,
                            "reason": reason,
                            "decided_by": "Fran Fleet",
                            "decided_at": version.decided_at,
                        }
                        for key, decision, reason in [
                            (brakes, "approved", ""),
                            (wipers, "denied", "Not covered"),
                        ]
                    ],
                }
            ],
        }
    )
    assert other_receiver.received == []
    assert not OutboundMessage.objects.filter(cause_id=bystander.pk).exists()


def test_the_webhook_form_offers_the_new_events(client, owner):
    integration, _token = make_integration(by=owner)
    url = reverse("integrations:webhook_add", args=[integration.pk])
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Inspection completed" in page and "Fleet decision" in page
    data = {
        "url": "https://pos.example/hooks",
        "events": ["inspection.completed", "fleet.decision"],
    }
    assert client.post(url, {**data, "is_active": "on"}).status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["inspection.completed", "fleet.decision"]
    edit = client.get(reverse("integrations:edit", args=[integration.pk])).content.decode()
    assert "Inspection completed, Fleet decision" in edit


def test_the_webhook_form_refuses_plain_http_except_to_this_machine(client, owner):
    integration, _token = make_integration(by=owner)
    url = reverse("integrations:webhook_add", args=[integration.pk])
    client.force_login(owner)
    events = ["work_order.closed"]
    refused = client.post(url, {"url": "http://pos.example/hooks", "events": events})
    assert refused.status_code == 200 and not WebhookSubscription.objects.exists()
    page = refused.content.decode()
    assert "Use an https:// address" in page
    # The input names its help and its error, and both ids are on the page.
    assert 'aria-describedby="id_url_helptext id_url_error"' in page
    assert 'id="id_url_helptext"' in page and 'id="id_url_error"' in page
    assert 'id="id_events_error"' not in page
    # A missing choice of events is tied to the checkboxes' fieldset.
    no_events = client.post(url, {"url": "https://pos.example/hooks"}).content.decode()
    assert 'aria-describedby="id_events_error"' in no_events
    assert 'id="id_events_error"' in no_events
    assert "Choose at least one event to send." in no_events
    for local in ("http://127.0.0.1:8765/hooks", "http://localhost/hooks"):
        response = client.post(url, {"url": local, "events": events, "is_active": "on"})
        assert response.status_code == 302
    assert sorted(WebhookSubscription.objects.values_list("url", flat=True)) == [
        "http://127.0.0.1:8765/hooks",
        "http://localhost/hooks",
    ]

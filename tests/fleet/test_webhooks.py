"""Signed webhooks both ways: outbound on submit, inbound decisions from a fleet network."""

import json
import time

import pytest
from django.urls import reverse

from fleet.models import FleetInboundEvent, FleetRequest, FleetWebhook, RequestState
from fleet.services import fleet_request_submit, webhook_sign, webhook_verify
from outbox.models import OutboundMessage
from outbox.services import outbound_message_send
from tests.fleet.conftest import line_keys
from tests.integrations.receiver import running_receiver

pytestmark = pytest.mark.django_db
URL = "/fleet/network/events/"


def test_it_verifies_only_fresh_signatures_made_with_the_secret():
    body = b'{"a": 1}'
    now = time.time()
    signature = webhook_sign(secret="s3cret", timestamp=int(now), body=body)
    assert signature.startswith("sha256=")
    assert webhook_verify(secret="s3cret", timestamp=str(int(now)), signature=signature, body=body)
    assert not webhook_verify(
        secret="other", timestamp=str(int(now)), signature=signature, body=body
    )
    assert not webhook_verify(
        secret="s3cret", timestamp=str(int(now)), signature=signature, body=b'{"a": 2}'
    )
    assert not webhook_verify(
        secret="s3cret", timestamp=str(int(now)), signature=signature, body=body, now=now + 301
    )
    assert not webhook_verify(secret="s3cret", timestamp=None, signature=signature, body=body)
    assert not webhook_verify(secret="s3cret", timestamp="x", signature=signature, body=body)


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def test_submitting_posts_a_signed_webhook_after_commit(
    fleet_work_order, company, advisor, receiver, django_capture_on_commit_callbacks
):
    company.webhook_url = receiver.url
    company.save()
    with django_capture_on_commit_callbacks(execute=True):
        fleet_request_submit(by=advisor, work_order=fleet_work_order, note="Squeal")
    [posted] = receiver.received
    body, headers = posted.body.encode(), posted.headers
    assert webhook_verify(
        secret=company.webhook_secret,
        timestamp=headers["X-Fleet-Timestamp"],
        signature=headers["X-Fleet-Signature"],
        body=body,
    )
    assert headers["X-Fleet-Company-Id"] == "RR-100"
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["event"] == "repair_order.submitted"
    assert payload["fleet_company_id"] == "RR-100"
    assert payload["repair_order"]["vehicle"]["vin"] == "1FTFW1E50JFA12345"
    assert payload["notes"][0]["body"] == "Squeal"
    delivery = FleetWebhook.objects.get()
    assert delivery.sent_at is not None and delivery.attempts == 1
    # Claimed once: sending it again does nothing.
    assert outbound_message_send(message_id=delivery.pk).state == "skipped"
    assert len(receiver.received) == 1


def test_a_failed_post_is_kept_for_a_retry(fleet_work_order, company, advisor, receiver):
    company.webhook_url = receiver.url
    company.save()
    receiver.answers = [503]
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    delivery = FleetWebhook.objects.get()
    assert outbound_message_send(message_id=delivery.pk).state == OutboundMessage.State.QUEUED
    delivery.refresh_from_db()
    assert delivery.sent_at is None and "503" in delivery.last_error


def test_no_webhook_url_no_delivery(fleet_work_order, advisor):
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    assert not FleetWebhook.objects.exists()
    assert not OutboundMessage.objects.exists()


def signed_post(client, company, payload, *, secret=None, timestamp=None):
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_FLEET_COMPANY_ID=company.fleet_company_id,
        HTTP_X_FLEET_TIMESTAMP=str(timestamp),
        HTTP_X_FLEET_SIGNATURE=webhook_sign(
            secret=secret or company.webhook_secret, timestamp=timestamp, body=body
        ),
    )


@pytest.fixture
def submitted(fleet_work_order, advisor):
    return fleet_request_submit(by=advisor, work_order=fleet_work_order)


def approval(request, keys, event_id="evt-1", version=1):
    return {
        "event_id": event_id,
        "type": "decision",
        "request": request.pk,
        "version": version,
        "by": "Network Desk",
        "decisions": [{"line": k, "decision": "approved"} for k in keys],
    }


def test_a_signed_inbound_decision_is_applied(client, company, submitted, fleet_work_order):
    response = signed_post(client, company, approval(submitted, line_keys(fleet_work_order)))
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert FleetRequest.objects.get().state == RequestState.APPROVED


def test_the_same_event_twice_gives_the_same_answer_once(
    client, company, submitted, fleet_work_order
):
    payload = approval(submitted, line_keys(fleet_work_order))
    first = signed_post(client, company, payload).json()
    second = signed_post(client, company, payload).json()
    assert first == second
    assert FleetInboundEvent.objects.count() == 1


@pytest.mark.parametrize("how", ["unsigned", "wrong_secret", "stale", "unknown_company"])
def test_an_unsigned_or_stale_inbound_event_is_refused(
    client, company, submitted, fleet_work_order, how
):
    payload = approval(submitted, line_keys(fleet_work_order))
    if how == "unsigned":
        response = client.post(
            URL,
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_X_FLEET_COMPANY_ID=company.fleet_company_id,
        )
    elif how == "wrong_secret":
        response = signed_post(client, company, payload, secret="not-the-secret")
    elif how == "stale":
        response = signed_post(client, company, payload, timestamp=int(time.time()) - 600)
    else:
        company.fleet_company_id = "NOPE"
        response = signed_post(client, company, payload)
    assert response.status_code == 403
    assert FleetRequest.objects.get().state == RequestState.AWAITING


def test_another_fleets_request_is_a_404(client, other_company, submitted, fleet_work_order):
    response = signed_post(client, other_company, approval(submitted, line_keys(fleet_work_order)))
    assert response.status_code == 404
    assert FleetRequest.objects.get().state == RequestState.AWAITING


def test_a_superseded_version_is_a_409(client, company, submitted, fleet_work_order):
    response = signed_post(
        client, company, approval(submitted, line_keys(fleet_work_order), version=7)
    )
    assert response.status_code == 409
    assert "replaced by version 1" in response.json()["detail"]


def test_bad_input_is_a_400_and_changes_nothing(client, company, submitted):
    response = signed_post(
        client, company, {"event_id": "e", "type": "shrug", "request": submitted.pk}
    )
    assert response.status_code == 400
    assert not FleetInboundEvent.objects.exists()
    assert signed_post(client, company, {"type": "note"}).status_code == 400


def test_an_inbound_note_lands_in_fleet_communication(client, company, submitted):
    payload = {"event_id": "n1", "type": "note", "request": submitted.pk, "body": "Call us"}
    assert signed_post(client, company, payload).status_code == 200
    assert submitted.notes.get().body == "Call us"


def test_the_network_url_is_named():
    assert reverse("fleet:network_event") == URL

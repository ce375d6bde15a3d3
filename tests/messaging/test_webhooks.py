"""Twilio's webhooks: signed texts in (with STOP and START) and delivery reports."""

from __future__ import annotations

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from messaging.models import InboundMessage, SmsOptOut, WebhookReceipt
from messaging.services.outbox import message_enqueue
from outbox.models import OutboundMessage
from outbox.services import outbound_message_send
from shop.errors import ServiceError
from tests.messaging.factories import CustomerPhoneFactory

pytestmark = pytest.mark.django_db

TOKEN = "test-auth-token"


def signed_post(client, url_name, params, *, token=TOKEN, query=""):
    path = reverse(url_name) + query
    signature = RequestValidator(token).compute_signature(f"http://testserver{path}", params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def text_from(number, body, sid="SM0001"):
    return {"MessageSid": sid, "From": number, "To": "+13125550199", "Body": body}


@pytest.fixture
def phone():
    return CustomerPhoneFactory(number="(312) 555-2001", e164="+13125552001")


def test_a_signed_text_joins_the_customers_conversation(client, phone):
    response = signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "Thanks!"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    text = InboundMessage.objects.get()
    assert text.customer == phone.customer
    assert text.body == "Thanks!"
    assert text.read_at is None


def test_it_matches_the_customer_whatever_the_formatting(client, phone):
    signed_post(client, "messaging:twilio_inbound", text_from("312.555.2001", "hello"))
    assert InboundMessage.objects.get().customer == phone.customer


def test_a_text_from_an_unknown_number_is_kept_without_a_customer(client, phone):
    signed_post(client, "messaging:twilio_inbound", text_from("+13125559999", "who is this"))
    text = InboundMessage.objects.get()
    assert text.customer is None
    assert text.from_e164 == "+13125559999"


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_TWILIO_SIGNATURE": "forged"}],
    ids=["unsigned", "forged"],
)
def test_a_forged_text_is_refused_and_nothing_stored(client, phone, headers):
    response = client.post(
        reverse("messaging:twilio_inbound"), text_from("+13125552001", "STOP"), **headers
    )
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()
    phone.customer.refresh_from_db()
    assert phone.customer.text_consent


def test_a_text_signed_with_another_token_is_refused(client, phone):
    response = signed_post(
        client, "messaging:twilio_inbound", text_from("+13125552001", "hi"), token="wrong"
    )
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_without_an_auth_token_every_webhook_is_refused(client, phone, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "hi"))
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_replayed_text_is_refused(client, phone):
    params = text_from("+13125552001", "On my way")
    assert signed_post(client, "messaging:twilio_inbound", params).status_code == 200
    assert signed_post(client, "messaging:twilio_inbound", params).status_code == 403
    assert InboundMessage.objects.count() == 1


def test_stop_revokes_text_consent_and_start_restores_it(client, phone):
    customer = phone.customer
    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "Stop", "SM1"))
    customer.refresh_from_db()
    assert not customer.text_consent
    assert customer.text_consent_at is not None
    assert SmsOptOut.objects.filter(e164="+13125552001").exists()
    assert InboundMessage.objects.get(provider_message_id="SM1").keyword == "stop"
    with pytest.raises(ServiceError):
        message_enqueue(channel="sms", to="+13125552001", body="hi", idempotency_key="after-stop")

    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "START", "SM2"))
    customer.refresh_from_db()
    assert customer.text_consent
    assert not SmsOptOut.objects.exists()


def test_stop_wins_over_a_message_already_queued(client, phone):
    message = message_enqueue(
        channel="sms",
        to="+13125552001",
        body="Your car is ready",
        idempotency_key="queued-before-stop",
        customer=phone.customer,
    )
    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "UNSUBSCRIBE"))
    assert outbound_message_send(message_id=message.pk).state == "suppressed"


def test_yes_is_an_answer_unless_the_number_had_opted_out(client, phone):
    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "Yes", "SM1"))
    assert InboundMessage.objects.get(provider_message_id="SM1").keyword == ""
    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "stop", "SM2"))
    signed_post(client, "messaging:twilio_inbound", text_from("+13125552001", "yes", "SM3"))
    assert InboundMessage.objects.get(provider_message_id="SM3").keyword == "start"
    phone.customer.refresh_from_db()
    assert phone.customer.text_consent


@pytest.fixture
def sent_text():
    message = message_enqueue(
        channel="sms", to="+13125552001", body="Ready", idempotency_key="report-me"
    )
    outbound_message_send(message_id=message.pk)
    message.refresh_from_db()
    return message


def test_a_delivery_report_updates_the_message(client, sent_text):
    params = {"MessageSid": sent_text.provider_message_id, "MessageStatus": "delivered"}
    response = signed_post(client, "messaging:twilio_status", params, query=f"?m={sent_text.pk}")
    assert response.status_code == 204
    sent_text.refresh_from_db()
    assert sent_text.state == OutboundMessage.State.DELIVERED


def test_a_forged_or_replayed_delivery_report_is_refused(client, sent_text):
    params = {"MessageSid": sent_text.provider_message_id, "MessageStatus": "undelivered"}
    forged = client.post(reverse("messaging:twilio_status"), params, HTTP_X_TWILIO_SIGNATURE="nope")
    assert forged.status_code == 403
    sent_text.refresh_from_db()
    assert sent_text.state == OutboundMessage.State.SENT
    assert not WebhookReceipt.objects.exists()

    assert signed_post(client, "messaging:twilio_status", params).status_code == 204
    assert signed_post(client, "messaging:twilio_status", params).status_code == 403
    assert WebhookReceipt.objects.count() == 1

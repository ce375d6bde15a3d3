"""The outbox's registry of transports and its signed-webhook transport, on their own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fleet.models import FleetCompany
from outbox import transports
from outbox.models import Channel, OutboundMessage
from outbox.services import outbound_message_enqueue, outbound_message_send
from outbox.webhooks import webhook_url_clean
from shop.errors import ServiceError
from tests.integrations.receiver import running_receiver

pytestmark = pytest.mark.django_db

State = OutboundMessage.State


def test_the_apps_register_texts_e_mails_and_webhooks():
    assert set(transports.registered()) >= {Channel.SMS, Channel.EMAIL, Channel.WEBHOOK}


def test_a_channel_nobody_registered_is_refused_and_nothing_is_written():
    with pytest.raises(ServiceError, match="Nothing sends “fax” messages"):
        outbound_message_enqueue(channel="fax", to="x", body="Hi", idempotency_key="fax")
    assert not OutboundMessage.objects.exists()


def test_a_row_whose_channel_is_no_longer_installed_fails_with_a_reason():
    message = OutboundMessage.objects.create(
        channel="pager", to="42", body="Hi", idempotency_key="pager", next_attempt_at=timezone.now()
    )
    assert outbound_message_send(message_id=message.pk).state == State.FAILED
    message.refresh_from_db()
    assert "Nothing sends “pager” messages" in message.last_error


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://fleet.example/hooks", "not a web address"),
        ("fleet.example", "not a web address"),
        ("https://fleet.example/" + "a" * 250, "too long"),
    ],
)
def test_a_webhook_goes_only_to_a_web_address(url, error):
    with pytest.raises(ServiceError, match=error):
        webhook_url_clean(url)
    with pytest.raises(ServiceError, match=error):
        outbound_message_enqueue(
            channel=Channel.WEBHOOK, to=url, body="{}", idempotency_key="bad", check_consent=False
        )
    assert not OutboundMessage.objects.exists()


def test_a_webhook_nobody_signs_is_failed_not_posted_unsigned():
    with running_receiver() as receiver:
        message = outbound_message_enqueue(
            channel=Channel.WEBHOOK,
            to=receiver.url,
            body="{}",
            idempotency_key="unsigned",
            check_consent=False,
        )
        assert outbound_message_send(message_id=message.pk).state == State.FAILED
    assert receiver.received == []
    message.refresh_from_db()
    assert "Nothing signs this webhook" in message.last_error


def test_a_fleet_webhook_whose_company_was_removed_is_failed_not_retried():
    company = FleetCompany.objects.create(name="Gone Fleet", fleet_company_id="GF-1")
    with running_receiver() as receiver:
        message = outbound_message_enqueue(
            channel=Channel.WEBHOOK,
            to=receiver.url,
            body="{}",
            idempotency_key="gone",
            cause=company,
            check_consent=False,
        )
        FleetCompany.objects.filter(pk=company.pk).delete()
        assert outbound_message_send(message_id=message.pk).state == State.FAILED
    assert receiver.received == []
    message.refresh_from_db()
    assert message.last_error == "The fleet company was removed."

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.db import transaction
from django.utils import timezone

from messaging.models import DevSms
from messaging.services.delivery import delivery_report_record
from messaging.services.outbox import message_enqueue
from outbox.models import Channel, OutboundMessage, SendAttempt
from outbox.services import STUCK_ERROR, outbound_message_send, outbound_relay, retry_delay_compute
from shop.errors import ServiceError
from tests.messaging.factories import customer_with_contacts

pytestmark = pytest.mark.django_db

State = OutboundMessage.State


def enqueue(customer=None, key="k1", **kwargs):
    defaults = {
        "channel": Channel.SMS,
        "to": "(312) 555-0100",
        "body": "Your 2018 Honda Civic is ready.",
        "idempotency_key": key,
        "customer": customer,
    }
    return message_enqueue(**{**defaults, **kwargs})


def test_it_sends_a_text_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue()
        assert not DevSms.objects.exists()  # nothing leaves before commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.to == "+13125550100"
    assert message.attempts == 1
    assert message.sent_at is not None
    stored = DevSms.objects.get()
    assert message.provider_message_id == f"dev-{stored.pk}"
    assert stored.body == "Your 2018 Honda Civic is ready."
    # A first-try success needs no entry in the retry log.
    assert not SendAttempt.objects.filter(message=message).exists()


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the status change failed")
    assert callbacks == []
    assert not OutboundMessage.objects.exists()
    assert not DevSms.objects.exists()


def test_the_same_key_twice_is_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(key="status:1:7:sms")
        second = enqueue(key="status:1:7:sms", body="something else")
    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1
    assert DevSms.objects.count() == 1


def test_a_task_delivered_twice_sends_once():
    message = enqueue()
    assert outbound_message_send(message_id=message.pk).state == State.SENT
    assert outbound_message_send(message_id=message.pk).state == "skipped"
    assert DevSms.objects.count() == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_provider_error_is_retried_with_backoff_then_sent(settings):
    settings.SMS_BACKEND = "tests.messaging.backends.FlakySmsBackend"
    from tests.messaging.backends import FlakySmsBackend

    FlakySmsBackend.tries.clear()
    message = enqueue()
    before = timezone.now()
    first = outbound_message_send(message_id=message.pk)
    assert first.state == State.QUEUED
    assert first.retry_in == 30
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert "503" in message.last_error
    assert message.next_attempt_at >= before + timedelta(seconds=30)

    assert outbound_message_send(message_id=message.pk).retry_in == 60
    assert outbound_message_send(message_id=message.pk).state == State.SENT
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 3
    assert message.last_error == ""
    tries = list(message.tries.order_by("number"))
    assert [(t.number, t.succeeded, t.retry_in) for t in tries] == [
        (1, False, 30),
        (2, False, 60),
        (3, True, None),
    ]
    assert DevSms.objects.count() == 1


def test_it_gives_up_after_the_last_attempt(settings):
    settings.SMS_BACKEND = "tests.messaging.backends.FlakySmsBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    from tests.messaging.backends import FlakySmsBackend

    FlakySmsBackend.tries.clear()
    message = enqueue()
    outbound_message_send(message_id=message.pk)
    outcome = outbound_message_send(message_id=message.pk)
    assert outcome.state == State.FAILED
    assert outcome.retry_in is None
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.failed_at is not None
    assert message.last_error.startswith("Gave up after 2 tries")
    assert not DevSms.objects.exists()


def test_a_permanent_error_fails_at_once(settings):
    settings.SMS_BACKEND = "tests.messaging.backends.RefusingSmsBackend"
    message = enqueue()
    assert outbound_message_send(message_id=message.pk).state == State.FAILED
    message.refresh_from_db()
    assert "not a mobile number" in message.last_error
    assert message.attempts == 1


def test_the_backoff_doubles_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert [retry_delay_compute(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay_compute(20) == 3600


def test_it_refuses_a_customer_without_text_consent():
    customer = customer_with_contacts(text_consent=False)
    with pytest.raises(ServiceError, match="has not agreed to receive texts"):
        enqueue(customer=customer)
    assert not OutboundMessage.objects.exists()


def test_consent_revoked_after_enqueue_is_honoured_at_send_time():
    customer = customer_with_contacts()
    message = enqueue(customer=customer)
    customer.text_consent = False
    customer.save()
    assert outbound_message_send(message_id=message.pk).state == State.SUPPRESSED
    message.refresh_from_db()
    assert "has not agreed" in message.last_error
    assert not DevSms.objects.exists()


@pytest.mark.parametrize(
    ("channel", "to", "error"),
    [
        (Channel.SMS, "12", "not a phone number"),
        (Channel.EMAIL, "not-an-address", "not an e-mail address"),
        ("fax", "x", "Choose text or e-mail"),
    ],
)
def test_bad_recipients_are_refused(channel, to, error):
    with pytest.raises(ServiceError, match=error):
        enqueue(channel=channel, to=to, subject="Hi")
    assert not OutboundMessage.objects.exists()


def test_a_broker_that_is_down_does_not_break_the_change_and_the_relay_sends_later(
    django_capture_on_commit_callbacks, settings
):
    settings.OUTBOX_RELAY_AFTER_SECONDS = 60
    with (
        mock.patch(
            "outbox.tasks.send_outbound_message.apply_async",
            side_effect=ConnectionRefusedError("broker down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = enqueue()
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert not DevSms.objects.exists()

    # Too early for the relay: the task may still be on its way.
    assert outbound_relay()["republished"] == 0
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=61)
    )
    assert outbound_relay()["republished"] == 1
    message.refresh_from_db()
    assert message.state == State.SENT
    assert DevSms.objects.count() == 1
    # Once sent, the relay leaves it alone.
    assert outbound_relay() == {"republished": 0, "published": 0, "requeued": 0, "failed": 0}


def _stuck(message):
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=State.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )


def test_a_stuck_message_is_resent_where_the_provider_drops_duplicates():
    message = enqueue()
    _stuck(message)
    assert outbound_relay()["requeued"] == 1
    message.refresh_from_db()
    assert message.state == State.SENT
    assert DevSms.objects.count() == 1


def test_a_stuck_message_is_failed_not_resent_where_the_provider_cannot_tell(settings):
    settings.SMS_BACKEND = "tests.messaging.backends.ForgetfulSmsBackend"
    message = enqueue()
    _stuck(message)
    assert outbound_relay()["failed"] == 1
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.last_error == STUCK_ERROR
    assert not DevSms.objects.exists()


def test_it_sends_an_email_through_anymail(django_capture_on_commit_callbacks):
    customer = customer_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(
            customer=customer,
            channel=Channel.EMAIL,
            to=customer.emails.get().address,
            subject="Your car is ready",
            body="Hi, your car is ready.",
        )
    message.refresh_from_db()
    assert message.state == State.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Your car is ready"
    assert "Hi, your car is ready." in sent.body
    assert sent.anymail_test_params["metadata"]["idempotency_key"] == "k1"
    assert sent.extra_headers["Message-ID"].startswith("<outbox.")
    assert message.provider_message_id == str(sent.anymail_status.message_id)


def test_it_refuses_an_email_without_consent():
    customer = customer_with_contacts(email_consent=False)
    with pytest.raises(ServiceError, match="has not agreed to receive e-mail"):
        enqueue(customer=customer, channel=Channel.EMAIL, to="a@mail.example", subject="Hi")


@pytest.mark.parametrize(("status", "state"), [(503, State.QUEUED), (400, State.FAILED)])
def test_email_provider_errors_are_retried_or_failed(status, state):
    message = enqueue(channel=Channel.EMAIL, to="a@mail.example", subject="Hi")
    response = SimpleNamespace(status_code=status, reason="said no", text="", json=dict)
    error = AnymailAPIError("provider said no", status_code=status, response=response)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=error):
        assert outbound_message_send(message_id=message.pk).state == state


def test_delivery_reports_move_a_message_forward_only():
    message = enqueue()
    outbound_message_send(message_id=message.pk)
    message.refresh_from_db()
    sid = message.provider_message_id
    delivery_report_record(provider_message_id=sid, provider_status="delivered")
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    assert message.delivered_at is not None
    delivery_report_record(provider_message_id=sid, provider_status="sent")
    message.refresh_from_db()
    assert message.state == State.DELIVERED


def test_an_undelivered_report_keeps_the_carrier_error():
    message = enqueue()
    outbound_message_send(message_id=message.pk)
    delivery_report_record(
        provider_message_id="SM123",
        provider_status="undelivered",
        error_code="30003",
        message_id=message.pk,
    )
    message.refresh_from_db()
    assert message.state == State.UNDELIVERED
    assert "30003" in message.last_error


def test_a_report_settles_a_message_failed_by_a_dead_worker(settings):
    settings.SMS_BACKEND = "tests.messaging.backends.ForgetfulSmsBackend"
    message = enqueue()
    _stuck(message)
    outbound_relay()
    delivery_report_record(
        provider_message_id="SM999", provider_status="delivered", message_id=message.pk
    )
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    assert message.provider_message_id == "SM999"


def test_in_process_tasks_retry_at_once_and_send(settings, django_capture_on_commit_callbacks):
    """The embedded default (no Redis) runs the task in-process: retries happen right away."""
    settings.SMS_BACKEND = "tests.messaging.backends.FlakySmsBackend"
    from tests.messaging.backends import FlakySmsBackend

    FlakySmsBackend.tries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 3
    assert DevSms.objects.count() == 1


def test_messages_committed_together_are_published_together(django_capture_on_commit_callbacks):
    with (
        mock.patch("outbox.tasks.send_outbound_messages.apply_async") as batch,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        ids = [enqueue(key=f"together-{n}", to=f"+1312555010{n}").pk for n in range(3)]
    assert len(callbacks) == 1
    batch.assert_called_once()
    assert batch.call_args.args == ((ids,),)


def test_a_batch_sends_each_message_and_a_failing_one_retries_alone(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.messaging.backends.FlakySmsBackend"
    from tests.messaging.backends import FlakySmsBackend

    FlakySmsBackend.tries.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        messages = [enqueue(key=f"batch-{n}", to=f"+1312555020{n}") for n in range(3)]
    for message in messages:
        message.refresh_from_db()
        assert message.state == State.SENT
        assert message.attempts == 3  # two 503s each, then sent
    assert DevSms.objects.count() == 3


def test_a_message_whose_savepoint_rolled_back_does_not_stop_the_next_one(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(key="rolled-back")
            raise RuntimeError("this part failed")
        kept = enqueue(key="kept")
    kept.refresh_from_db()
    assert kept.state == State.SENT
    assert list(DevSms.objects.values_list("idempotency_key", flat=True)) == ["kept"]


def test_the_relay_settles_a_stuck_text_even_without_provider_credentials(settings):
    message = enqueue()
    _stuck(message)
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ""
    assert outbound_relay()["failed"] == 1
    message.refresh_from_db()
    assert message.state == State.FAILED

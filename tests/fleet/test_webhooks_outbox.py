"""Fleet webhooks go through the shop's one outbox: saved with the change, relayed when
the broker was down, retried with backoff, every try in the log, signed as fleets verify."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from fleet.models import FleetRequest, FleetWebhook, RequestState
from fleet.services import fleet_request_cancel, fleet_request_submit, webhook_verify
from outbox.models import OutboundMessage
from outbox.services import outbound_message_send, outbound_relay
from shop.models import SecurityFunctionLevel
from tests.integrations.receiver import running_receiver

pytestmark = pytest.mark.django_db

State = OutboundMessage.State


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def hooked(company, receiver):
    """The fleet company posts its webhooks to the test receiver."""
    company.webhook_url = receiver.url
    company.save()
    return company


def signed_by(company, posted) -> bool:
    return webhook_verify(
        secret=company.webhook_secret,
        timestamp=posted.headers["X-Fleet-Timestamp"],
        signature=posted.headers["X-Fleet-Signature"],
        body=posted.body.encode(),
    )


def test_it_saves_the_submission_when_the_broker_is_down_and_the_relay_posts_it(
    client,
    advisor,
    fleet_work_order,
    hooked,
    receiver,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.OUTBOX_RELAY_AFTER_SECONDS = 60
    client.force_login(advisor)
    broker_down = ConnectionRefusedError("broker down")
    with (
        mock.patch("outbox.tasks.send_outbound_message.apply_async", side_effect=broker_down),
        mock.patch("outbox.tasks.send_outbound_messages.apply_async", side_effect=broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("fleet:send", args=[fleet_work_order.pk]), {"note": "Pads"})
    # The request succeeds: the submission is saved and its webhook waits in the outbox.
    assert response.status_code == 302
    assert FleetRequest.objects.get().state == RequestState.AWAITING
    delivery = FleetWebhook.objects.get()
    assert delivery.state == State.QUEUED and delivery.attempts == 0
    assert receiver.received == []

    # Too early for the relay: the task may still be on its way.
    assert outbound_relay()["republished"] == 0
    FleetWebhook.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=61))
    assert outbound_relay()["republished"] == 1
    [posted] = receiver.received
    assert signed_by(hooked, posted)
    assert posted.headers["X-Fleet-Company-Id"] == "RR-100"
    assert json.loads(posted.body)["event"] == "repair_order.submitted"
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 1
    # Once sent, the relay leaves it alone.
    assert outbound_relay()["republished"] == 0
    assert len(receiver.received) == 1


def test_it_retries_a_failing_fleet_network_with_backoff_and_logs_each_try(
    advisor, fleet_work_order, hooked, receiver, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    receiver.answers = [503, 500]
    with django_capture_on_commit_callbacks(execute=True):
        fleet_request_submit(by=advisor, work_order=fleet_work_order)
    # Tasks run in-process here, so the retries come at once; a worker waits 30 s, 60 s.
    delivery = FleetWebhook.objects.get()
    assert delivery.state == State.SENT and delivery.attempts == 3
    tries = list(delivery.tries.order_by("number"))
    assert [t.succeeded for t in tries] == [False, False, True]
    assert "503" in tries[0].error and "500" in tries[1].error
    assert [t.retry_in for t in tries[:2]] == [30, 60]
    # The same body each time, each try signed afresh.
    assert len({posted.body for posted in receiver.received}) == 1
    assert all(signed_by(hooked, posted) for posted in receiver.received)


def test_it_gives_up_after_the_outbox_tries_and_says_why(
    advisor, fleet_work_order, hooked, receiver, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    receiver.answers = [502, 502, 502]
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    delivery = FleetWebhook.objects.get()
    assert outbound_message_send(message_id=delivery.pk).state == State.QUEUED
    assert outbound_message_send(message_id=delivery.pk).state == State.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Gave up after 2 tries.")
    assert "502" in delivery.last_error
    assert len(receiver.received) == 2
    assert outbound_message_send(message_id=delivery.pk).state == "skipped"


def test_a_fleet_network_that_answers_410_gets_no_more_tries(
    advisor, fleet_work_order, hooked, receiver
):
    receiver.answers = [410]
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    delivery = FleetWebhook.objects.get()
    assert outbound_message_send(message_id=delivery.pk).state == State.FAILED
    delivery.refresh_from_db()
    assert "410" in delivery.last_error and delivery.attempts == 1


def test_the_webhook_is_written_with_the_change_or_not_at_all(
    advisor, fleet_work_order, hooked, receiver, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        fleet_request_submit(by=advisor, work_order=fleet_work_order)
        raise RuntimeError("the change failed after the submit")
    assert not FleetRequest.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert receiver.received == []


def test_fleet_webhooks_stay_out_of_the_customers_message_lists(advisor, fleet_work_order, hooked):
    from messaging import selectors

    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    assert OutboundMessage.objects.count() == 1
    assert not selectors.outbound_messages().exists()


def test_the_fleet_webhook_log_shows_the_tries_to_a_manager_and_not_to_an_advisor(
    client, advisor, employee_at, fleet_work_order, hooked, receiver
):
    receiver.answers = [503]
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    delivery = FleetWebhook.objects.get()
    outbound_message_send(message_id=delivery.pk)
    outbound_message_send(message_id=delivery.pk)
    changelist = reverse("admin:fleet_fleetwebhook_changelist")
    change = reverse("admin:fleet_fleetwebhook_change", args=[delivery.pk])

    # The admin site opens from level 3 here; "Fleet companies" stays at level 2.
    SecurityFunctionLevel.objects.update_or_create(code="use_admin_site", defaults={"level": 3})
    client.force_login(employee_at(2))
    page = client.get(changelist)
    assert page.status_code == 200 and "repair_order.submitted" in page.content.decode()
    page = client.get(change).content.decode()
    assert "The receiver answered HTTP 503." in page and "Sent" in page

    client.force_login(advisor)  # level 3: in the admin site, below "Fleet companies"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(changelist).status_code == 403
    assert client.get(change).status_code == 403


def test_the_fleet_log_lists_only_fleet_webhooks(advisor, fleet_work_order, hooked):
    from messaging.services.outbox import message_enqueue

    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    message_enqueue(
        channel="email",
        to="rosa@example.com",
        subject="Ready",
        body="Your car is ready.",
        idempotency_key="not-fleet",
        check_consent=False,
    )
    assert OutboundMessage.objects.count() == 2
    assert list(FleetWebhook.objects.values_list("subject", flat=True)) == [
        "repair_order.submitted"
    ]


def test_the_fleet_webhook_log_takes_as_many_queries_for_many_webhooks_as_for_one(
    client, owner, advisor, company, fleet_work_order, hooked, django_assert_max_num_queries
):
    changelist = reverse("admin:fleet_fleetwebhook_changelist")
    client.force_login(owner)
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    with django_assert_max_num_queries(20) as one:
        assert client.get(changelist).status_code == 200
    # Cancelled, and submitted again: a webhook each.
    fleet_request_cancel(by=advisor, work_order=fleet_work_order)
    fleet_request_submit(by=advisor, work_order=fleet_work_order)
    assert FleetWebhook.objects.count() == 3
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(changelist).status_code == 200

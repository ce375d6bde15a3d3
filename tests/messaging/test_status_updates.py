"""A work order entering a status marked "send customer update" tells the customer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from messaging.models import DevSms
from messaging.services.status_updates import status_message_render, status_update_enqueue
from outbox.models import OutboundMessage
from workorders import services
from workorders.models import StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


def move(work_order, status, by):
    return services.workorder_status_set(
        by=by,
        work_order=work_order,
        version=WorkOrder.objects.get(pk=work_order.pk).version,
        status=status,
    )


def test_entering_a_status_that_sends_texts_and_emails_the_customer(
    estimate, statuses, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(estimate, statuses[2], advisor)  # Waiting for Approval: sends
    messages = OutboundMessage.objects.order_by("channel")
    assert [m.channel for m in messages] == ["email", "sms"]
    assert all(m.state == OutboundMessage.State.SENT for m in messages)
    change = StatusChange.objects.filter(work_order=estimate).latest("id")
    assert {m.idempotency_key for m in messages} == {
        f"status:{estimate.pk}:{change.pk}:sms",
        f"status:{estimate.pk}:{change.pk}:email",
    }
    assert all(m.cause == change for m in messages)
    text = DevSms.objects.get().body
    assert text.startswith("Hi Rosa Diaz, the estimate for your 2016 Honda Civic is ready")
    assert "Main Street Auto" in text
    assert "http://testserver/messages/l/" in text
    assert mail.outbox[0].subject == "Main Street Auto: Waiting for Approval — 2016 Honda Civic"


def test_a_status_that_does_not_send_is_silent(estimate, statuses, advisor):
    move(estimate, statuses[3], advisor)  # Estimate Sent: no update
    assert not OutboundMessage.objects.exists()


def test_only_consented_channels_are_used(estimate, statuses, advisor):
    customer = estimate.customer
    customer.email_consent = False
    customer.save()
    move(estimate, statuses[2], advisor)
    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["sms"]


def test_a_customer_without_consent_gets_nothing_and_the_status_still_changes(
    estimate, statuses, advisor
):
    customer = estimate.customer
    customer.email_consent = customer.text_consent = False
    customer.save()
    move(estimate, statuses[2], advisor)
    assert WorkOrder.objects.get(pk=estimate.pk).status == statuses[2]
    assert not OutboundMessage.objects.exists()


def test_a_rolled_back_status_change_sends_nothing(
    estimate, statuses, advisor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        move(estimate, statuses[2], advisor)
        raise RuntimeError("something after the change failed")
    assert not OutboundMessage.objects.exists()
    assert not DevSms.objects.exists()


def test_the_same_event_delivered_again_sends_nothing_more(estimate, statuses, advisor):
    move(estimate, statuses[2], advisor)
    work_order = WorkOrder.objects.get(pk=estimate.pk)
    again = status_update_enqueue(work_order=work_order, status=statuses[2])
    assert len(again) == 2
    assert OutboundMessage.objects.count() == 2


def test_entering_the_status_again_later_is_a_new_update(estimate, statuses, advisor):
    move(estimate, statuses[2], advisor)
    move(estimate, statuses[3], advisor)
    move(estimate, statuses[2], advisor)
    assert OutboundMessage.objects.filter(channel="sms").count() == 2


def test_the_template_fills_its_merge_fields(estimate, statuses):
    text = status_message_render(
        template="{customer}: {vehicle} is {status} at {shop}. See {link} {unknown}",
        work_order=estimate,
        status=statuses[16],
    )
    assert text.startswith(
        "Rosa Diaz: 2016 Honda Civic is Ready for Pickup at Main Street Auto. See http://"
    )
    assert text.endswith("{unknown}")
    assert text.count("/messages/l/") == 1


def test_an_empty_template_gets_a_plain_update(estimate, statuses):
    text = status_message_render(template="", work_order=estimate, status=statuses[7])
    assert "In Progress" in text
    assert "/messages/l/" in text

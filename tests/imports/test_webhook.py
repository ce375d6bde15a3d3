"""One `import.completed` webhook per import, with its counts; never one per row."""

from __future__ import annotations

import json

import pytest

from integrations import services as integration_services
from integrations.forms import WebhookForm
from integrations.models import WebhookEvent
from outbox.models import Channel, OutboundMessage
from shop.errors import ServiceError
from tests.imports.helpers import applied, checked_run
from tests.integrations.factories import make_integration

pytestmark = pytest.mark.django_db


def subscribe(owner, events):
    integration, _token = make_integration(by=owner)
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url="https://hooks.example.com/shop", events=events
    )


def test_an_import_sends_one_import_completed_webhook_with_its_counts(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    # Subscribed to everything: the import's invoices and vehicles must still send nothing.
    subscription = subscribe(owner, [*WebhookEvent.values, "import.completed"])
    assert "import.completed" in subscription.events
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert run.counts["invoices"]["create"] > 100

    messages = list(OutboundMessage.objects.filter(channel=Channel.WEBHOOK))
    assert [m.subject for m in messages] == ["import.completed"]
    body = json.loads(messages[0].body)
    assert body["event"] == "import.completed"
    assert body["data"]["id"] == run.pk
    assert body["data"]["name"] == run.name
    assert body["data"]["counts"] == run.counts
    assert body["data"]["by"] == owner.username
    assert messages[0].cause_id == subscription.pk


def test_no_subscriber_no_webhook(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    subscribe(owner, [WebhookEvent.WORK_ORDER_CLOSED])
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert not OutboundMessage.objects.filter(channel=Channel.WEBHOOK).exists()


def test_the_event_is_offered_on_the_webhook_form_and_unknown_codes_are_refused(owner):
    choices = dict(WebhookForm().fields["events"].choices)
    assert choices["import.completed"] == "Import from another system completed"
    integration, _token = make_integration(by=owner)
    with pytest.raises(ServiceError, match=r"Unknown events: import\.finished"):
        integration_services.webhook_subscription_create(
            by=owner,
            integration=integration,
            url="https://hooks.example.com/shop",
            events=["import.finished"],
        )
    assert not integration.webhook_subscriptions.exists()

"""The webhook replay guard is pruned once the providers' retries are long over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import WebhookReceipt
from messaging.services.conversations import webhook_receipt_record
from messaging.tasks import prune_webhook_receipts

pytestmark = pytest.mark.django_db


def test_it_forgets_old_receipts_and_keeps_recent_ones(settings):
    settings.MESSAGING_WEBHOOK_RECEIPT_DAYS = 30
    for key in ("old", "recent"):
        assert webhook_receipt_record(key=key)
    WebhookReceipt.objects.filter(key="old").update(received_at=timezone.now() - timedelta(days=31))
    assert prune_webhook_receipts.delay().get() == 1
    assert list(WebhookReceipt.objects.values_list("key", flat=True)) == ["recent"]
    # A recent callback sent again is still refused.
    assert not webhook_receipt_record(key="recent")


def test_the_prune_runs_every_day_on_beat(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["messaging-webhook-receipts-prune"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].remaining_estimate(timezone.now()) <= timedelta(days=1)

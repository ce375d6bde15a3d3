import random
from io import StringIO

import pytest
from django.core.management import call_command

from messaging.models import InboundMessage
from messaging.seeding import seed_bench
from outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_demo_shop_has_a_reply_waiting_and_seeding_twice_adds_nothing():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    reply = InboundMessage.objects.get(provider_message_id="demo-reply-1")
    assert reply.customer is not None
    assert reply.read_at is None
    # The demo's status changes sent their updates through the outbox.
    assert OutboundMessage.objects.filter(kind="status_update").exists()


def test_the_bench_history_is_added_once(settings):
    from tests.messaging.factories import CustomerPhoneFactory

    for _ in range(10):
        phone = CustomerPhoneFactory()
    CustomerPhoneFactory(customer=phone.customer)  # a second cell: still one conversation
    seed_bench(StringIO(), rng=random.Random(1))
    seed_bench(StringIO(), rng=random.Random(1))
    assert OutboundMessage.objects.count() == 40
    assert InboundMessage.objects.count() == 2

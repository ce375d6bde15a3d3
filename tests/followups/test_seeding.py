import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import FollowUp, FollowUpList, LetterTemplate, SavedQuery
from followups.seeding import seed_bench, seed_demo
from tests.followups.factories import VehicleFactory, invoice

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_generates_todays_follow_ups():
    invoice(VehicleFactory(), timezone.localdate() - timedelta(days=200))
    seed_demo(io.StringIO())
    seed_demo(io.StringIO())
    assert FollowUpList.objects.count() == 2
    assert LetterTemplate.objects.count() == 2
    assert SavedQuery.objects.count() == 1
    assert FollowUp.objects.count() == 1


def test_seed_bench_adds_the_records_once_and_generates_nothing():
    invoice(VehicleFactory(), timezone.localdate() - timedelta(days=200))
    seed_bench(io.StringIO(), rng=random.Random(1))
    seed_bench(io.StringIO(), rng=random.Random(1))
    assert FollowUpList.objects.count() == 2
    assert not FollowUp.objects.exists()

import io

import pytest

from fleet.models import FleetRequest, FleetUser, RequestState
from fleet.seeding import seed_demo
from shop.seeding import seed_demo as shop_seed_demo
from workorders.seeding import statuses_ensure

pytestmark = pytest.mark.django_db


def test_the_demo_fleet_is_seeded_once():
    shop_seed_demo(io.StringIO())
    statuses_ensure()
    out = io.StringIO()
    seed_demo(out)
    seed_demo(io.StringIO())
    assert "fleet portal login “fleet”" in out.getvalue()
    assert FleetUser.objects.get().user.security_level is None
    assert sorted(FleetRequest.objects.values_list("state", flat=True)) == sorted(
        [RequestState.AWAITING, RequestState.PARTIAL]
    )


def test_the_bench_fleet_skips_what_exists(monkeypatch):
    import random

    from fleet import seeding

    monkeypatch.setattr(seeding, "BENCH_REQUESTS", 5)
    shop_seed_demo(io.StringIO())
    statuses_ensure()
    seeding.seed_bench(io.StringIO(), rng=random.Random(1))
    seeding.seed_bench(io.StringIO(), rng=random.Random(1))
    assert FleetRequest.objects.count() == 5

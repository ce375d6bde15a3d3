import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fleet.models import FleetRequest, FleetUser, RequestState
from fleet.seeding import seed_demo
from reports.periods import period_for
from reports.selectors.fleet_activity import fleet_activity
from shop.seeding import seed_demo as shop_seed_demo
from workorders.models import Stage
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
        [RequestState.AWAITING, RequestState.PARTIAL, RequestState.APPROVED]
    )


def test_the_demo_shows_a_billed_fleet_invoice_in_fleet_activity_on_first_look():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # again: still one
    billed = FleetRequest.objects.get(invoice_approved_at__isnull=False)
    assert billed.work_order.stage == Stage.INVOICE
    report = fleet_activity(period_for("month", timezone.localdate()))
    rapid = next(c for c in report.customers if c.company == "Rapid Rentals")
    assert rapid.visits == 1 and rapid.total == billed.work_order.grand_total > 0
    assert [v.label for v in rapid.rows] == ["2020 Chevrolet Malibu (RR-4413)"]


def test_the_bench_fleet_skips_what_exists(monkeypatch):
    import random

    from fleet import seeding

    monkeypatch.setattr(seeding, "BENCH_REQUESTS", 5)
    shop_seed_demo(io.StringIO())
    statuses_ensure()
    seeding.seed_bench(io.StringIO(), rng=random.Random(1))
    seeding.seed_bench(io.StringIO(), rng=random.Random(1))
    assert FleetRequest.objects.count() == 5

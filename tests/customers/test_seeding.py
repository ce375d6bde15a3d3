import random
import sys

import pytest

from customers.duplicates import duplicate_pairs, find_duplicate_groups
from customers.models import Customer, CustomerPhone, Vehicle
from customers.seeding import bench_duplicate_pairs, seed_customers, seed_demo
from customers.vin import vin_decode

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_with_families_and_duplicates():
    seed_demo(sys.stdout)
    counts = (Customer.objects.count(), CustomerPhone.objects.count(), Vehicle.objects.count())
    seed_demo(sys.stdout)
    assert (Customer.objects.count(), CustomerPhone.objects.count(), Vehicle.objects.count()) == (
        counts
    )
    assert Customer.objects.filter(household_main__isnull=False).count() == 2
    assert len(find_duplicate_groups()) >= 2  # Chen and Brooks were typed in twice
    for vehicle in Vehicle.objects.all():
        vin_decode(vehicle.vin)


def test_the_bench_seeder_records_its_true_duplicates(capsys):
    seed_customers(sys.stdout, rng=random.Random(3), total=400, vehicles=600, duplicate_share=0.05)
    assert Customer.objects.count() == 400
    assert Vehicle.objects.count() == 600
    truth = bench_duplicate_pairs()
    assert len(truth) == 20
    found = duplicate_pairs(find_duplicate_groups())
    assert len(found & truth) / len(truth) >= 0.9
    assert "20 duplicates" in capsys.readouterr().out

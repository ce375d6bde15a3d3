import random
import sys

import pytest

from customers.duplicates import (
    duplicate_pairs,
    find_duplicate_groups,
    find_duplicates,
    person_name,
)
from customers.models import Customer, CustomerPhone, Vehicle
from customers.seeding import (
    bench_duplicate_pairs,
    bench_lookalike_pairs,
    seed_customers,
    seed_demo,
)
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
    review = find_duplicates()
    sure = duplicate_pairs(review.sure)
    found = sure | {pair.ids for pair in review.maybe}
    assert len(found & truth) / len(truth) >= 0.9
    assert "20 duplicates" in capsys.readouterr().out


def test_the_bench_seeder_makes_lookalikes_that_are_never_sure(capsys):
    seed_customers(sys.stdout, rng=random.Random(8), total=1500, vehicles=10, duplicate_share=0.05)
    lookalikes = bench_lookalike_pairs()
    assert len(lookalikes) >= 20
    names = {
        pk: person_name(first, last)
        for pk, first, last in Customer.objects.values_list("id", "first_name", "last_name")
    }
    # Sons with their father's name (some with a "Jr" typed in) and spouses (another name).
    sons = [(a, b) for a, b in lookalikes if names[a][:2] == names[b][:2]]
    spouses = [(a, b) for a, b in lookalikes if names[a][0] != names[b][0]]
    assert sons and spouses
    assert any(names[a][3] or names[b][3] for a, b in sons)
    assert any(not names[a][3] and not names[b][3] for a, b in sons)
    review = find_duplicates()
    assert not duplicate_pairs(review.sure) & lookalikes
    # Noise classes of the duplicates: upper case, seven digits typed, swapped fields.
    assert Customer.objects.filter(last_name__regex=r"^[A-Z]{3,}$").exists()
    assert CustomerPhone.objects.filter(number__regex=r"^\d{3}-\d{4}$").exists()
    truth = bench_duplicate_pairs()
    found = duplicate_pairs(review.sure) | {pair.ids for pair in review.maybe}
    assert len(found & truth) / len(truth) >= 0.95

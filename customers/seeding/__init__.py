"""The customers app's part of the demo shop (demo.py) and of the benchmark shop (bench.py)."""

from customers.seeding.bench import (
    bench_duplicate_pairs,
    bench_lookalike_pairs,
    seed_bench,
    seed_customers,
)
from customers.seeding.common import make_vin
from customers.seeding.demo import DEMO_CUSTOMERS, seed_demo

__all__ = [
    "DEMO_CUSTOMERS",
    "bench_duplicate_pairs",
    "bench_lookalike_pairs",
    "make_vin",
    "seed_bench",
    "seed_customers",
    "seed_demo",
]

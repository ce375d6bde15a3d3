"""Customers: the search box, the list and the detail page on a shop with 100,000 customers,
and automatic duplicate detection over all of them."""

from __future__ import annotations

import random

from django.urls import reverse

from bench.harness import Bench, scenario


def _sample_queries(rng: random.Random, n: int) -> list[str]:
    """Names (some misspelled), phones in various formats and last digits, plates and VINs."""
    from customers.models import Customer, CustomerPhone, Vehicle

    top = Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(n * 2)]
    people = list(
        Customer.objects.filter(pk__in=ids, kind="person").values_list("first_name", "last_name")
    )
    phones = list(CustomerPhone.objects.filter(customer_id__in=ids).values_list("e164", flat=True))
    vehicles = list(Vehicle.objects.filter(customer_id__in=ids).values_list("plate", "vin"))
    queries = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            first, last = rng.choice(people)
            queries.append(last)
        elif kind == 1:
            first, last = rng.choice(people)
            typo = last[:2] + last[3:] if len(last) > 4 else last
            queries.append(f"{first} {typo}")
        elif kind == 2:
            e164 = rng.choice(phones)
            queries.append(f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}")
        elif kind == 3:
            queries.append(rng.choice(phones)[-4:])
        elif kind == 4:
            queries.append(rng.choice(vehicles)[0])
        else:
            vin = rng.choice(vehicles)[1]
            queries.append(vin if i % 2 else vin[-8:])
    return queries


@scenario("customers.search")
def search(bench: Bench) -> None:
    """The search box as the advisor types: htmx results for names, phones, plates and VINs."""
    client = bench.client_for("advisor")
    url = reverse("customers:list")
    queries = _sample_queries(random.Random(11), 300)
    bench.measure(
        lambda i: client.get(url, {"q": queries[i % len(queries)]}, HTTP_HX_REQUEST="true"),
        n=300,
    )


@scenario("customers.list")
def customer_list(bench: Bench) -> None:
    client = bench.client_for("advisor")
    url = reverse("customers:list")
    bench.measure(lambda i: client.get(url, {"page": 1 + (i * 37) % 4000}), n=200)


@scenario("customers.detail")
def customer_detail(bench: Bench) -> None:
    from customers.models import Customer

    client = bench.client_for("advisor")
    top = Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(5)
    ids = list(
        Customer.objects.filter(pk__in=[rng.randint(1, top) for _ in range(400)]).values_list(
            "id", flat=True
        )[:200]
    )
    bench.measure(
        lambda i: client.get(reverse("customers:detail", args=[ids[i % len(ids)]])), n=200
    )


@scenario("customers.dedupe")
def dedupe(bench: Bench) -> None:
    """Automatic duplicate detection over every customer, against the seeded true pairs:
    the sure tier's precision and look-alikes (sons, spouses) in it, recall over both tiers."""
    import resource
    import time

    from customers.duplicates import duplicate_pairs, find_duplicates
    from customers.models import Customer
    from customers.seeding import DEMO_CUSTOMERS, bench_duplicate_pairs, bench_lookalike_pairs

    started = time.perf_counter()
    review = find_duplicates()
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    truth = bench_duplicate_pairs()
    lookalikes = bench_lookalike_pairs()
    # The demo shop's own few duplicates are not in the bench's list of true pairs.
    demo = set(Customer.objects.order_by("id").values_list("id", flat=True)[: len(DEMO_CUSTOMERS)])
    sure = {pair for pair in duplicate_pairs(review.sure) if not demo & set(pair)}
    maybe = {pair.ids for pair in review.maybe if not demo & set(pair.ids)}
    hits = len(sure & truth)
    bench.record(
        n=Customer.objects.count(),
        p50_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        queries=4,
        seconds=round(seconds, 2),
        peak_rss_mib=round(peak_mib),
        groups=len(review.sure),
        maybe_pairs=len(review.maybe),
        precision=round(hits / len(sure), 4) if sure else 0.0,
        lookalikes_in_sure=len(sure & lookalikes),
        recall_sure=round(hits / len(truth), 4) if truth else 0.0,
        recall=round(len((sure | maybe) & truth) / len(truth), 4) if truth else 0.0,
        maybe_true=len(maybe & truth),
    )

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
    bench.measure(lambda i: client.get(url, {"page": 1 + (i * 37) % 1500}), n=200)


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

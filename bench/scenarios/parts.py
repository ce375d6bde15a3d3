"""Parts: the editor's typeahead over the bench catalog of 200,000 parts, number prefixes
(with and without dashes), vendors' numbers and description words mixed."""

from __future__ import annotations

import random

from django.urls import reverse

from bench.harness import Bench, scenario


def _sample_queries(rng: random.Random, n: int) -> list[str]:
    from parts.models import Part

    top = Part.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rows = list(
        Part.objects.filter(pk__in=[rng.randint(1, top) for _ in range(n)]).values_list(
            "number", "description"
        )
    )
    queries = []
    for i in range(n):
        number, description = rng.choice(rows)
        kind = i % 4
        if kind == 0:
            queries.append(number[: rng.randint(3, len(number))])  # the start, as typed
        elif kind == 1:
            queries.append(number.replace("-", "").lower())  # without the dash
        elif kind == 2:
            queries.append(description.split(",")[0].lower())  # a word
        else:
            words = description.replace(",", "").lower().split()
            queries.append(" ".join(words[:2]))  # two words
    return queries


@scenario("parts.typeahead")
def typeahead(bench: Bench) -> None:
    """What the advisor sees while typing a part in the editor (target: p95 under 30 ms)."""
    client = bench.client_for("advisor")
    url = reverse("parts:typeahead")
    queries = _sample_queries(random.Random(19), 300)
    bench.measure(lambda i: client.get(url, {"q": queries[i % len(queries)]}), n=300)

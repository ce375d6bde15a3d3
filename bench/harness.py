"""A small benchmark harness: scenarios time requests through Django's test client."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

_scenarios: dict[str, Callable[[Bench], None]] = {}


def scenario(name: str) -> Callable:
    def decorator(function: Callable[[Bench], None]) -> Callable[[Bench], None]:
        _scenarios[name] = function
        return function

    return decorator


def registered() -> dict[str, Callable]:
    return dict(_scenarios)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Bench:
    name: str
    rows: list[dict] = field(default_factory=list)

    def client_for(self, username: str) -> Client:
        from shop.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def measure(
        self,
        request: Callable[[int], Any],
        *,
        n: int = 100,
        warmup: int = 5,
        label: str | None = None,
        expect_status: int | None = 200,
        **extra: Any,
    ) -> dict:
        """Run request(i) n times; record p50/p95 milliseconds and the queries per call."""
        for i in range(warmup):
            request(i)
        times: list[float] = []
        queries: list[int] = []
        for i in range(n):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = request(i)
                elapsed = time.perf_counter() - started
            if expect_status is not None and getattr(response, "status_code", 200) != expect_status:
                raise AssertionError(
                    f"{label or self.name}: status {response.status_code}, wanted {expect_status}"
                )
            times.append(elapsed * 1000)
            queries.append(len(captured.captured_queries))
        row = {
            "scenario": label or self.name,
            "n": n,
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "queries": max(queries),
            **({"queries_min": min(queries)} if min(queries) != max(queries) else {}),
            **extra,
        }
        self.rows.append(row)
        return row

    def record(self, **row: Any) -> dict:
        """A figure measured by the scenario itself (a batch job, a rate)."""
        row.setdefault("scenario", self.name)
        self.rows.append(row)
        return row

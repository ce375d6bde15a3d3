"""Today's Vehicles Page on the bench shop (at least 60 active work orders and 20 appointments
today, from workorders' seed_bench): the page, and a refresh when nothing changed."""

from __future__ import annotations

import random

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.harness import Bench, scenario
from workorders.board import active_work_orders, todays_appointments
from workorders.seeding.board import board_day_ensure


class _Quiet:
    def write(self, text: str) -> None:
        pass


@scenario("board.page")
def board_page(bench: Bench) -> None:
    """The issue's size (60 active work orders, 20 appointments): the other active ones (the
    fleet's 300 open repair orders, for one) are set aside inside a transaction that is rolled
    back. Then the whole bench shop's board as it is."""
    board_day_ensure(_Quiet(), rng=random.Random(5))
    client = bench.client_for("advisor")
    url = reverse("workorders:board")
    with transaction.atomic():
        now = timezone.now()
        keep = list(active_work_orders(now).order_by("-id").values_list("id", flat=True)[:60])
        active_work_orders(now).exclude(id__in=keep).update(closed_at=now)
        bench.measure(
            lambda i: client.get(url),
            n=200,
            label="board.page",
            work_orders=active_work_orders(now).count(),
            appointments=todays_appointments(now).count(),
        )
        transaction.set_rollback(True)
    now = timezone.now()
    bench.measure(
        lambda i: client.get(url),
        n=50,
        label="board.page.whole_bench_shop",
        work_orders=active_work_orders(now).count(),
        appointments=todays_appointments(now).count(),
    )


@scenario("board.refresh")
def board_refresh(bench: Bench) -> None:
    board_day_ensure(_Quiet(), rng=random.Random(5))
    client = bench.client_for("advisor")
    url = reverse("workorders:board_refresh")
    first = client.get(url)
    state = {"fingerprint": first["ETag"].strip('"'), "changed": 0}
    sizes: list[int] = []

    def unchanged(i: int):
        response = client.get(url, {"since": state["fingerprint"]})
        if response.status_code == 200:
            # Another bench wrote to the shared shop meanwhile: a real change, sent once.
            state["fingerprint"] = response["ETag"].strip('"')
            state["changed"] += 1
        else:
            sizes.append(len(response.content))
        return response

    bench.measure(
        unchanged,
        n=300,
        label="board.refresh",
        expect_status=None,
        full_body_bytes=len(first.content),
    )
    bench.rows[-1]["body_bytes_sent_unchanged"] = max(sizes, default=0)
    bench.rows[-1]["changed_meanwhile"] = state["changed"]
    etag = first["ETag"]
    bench.measure(
        lambda i: client.get(url, HTTP_IF_NONE_MATCH=etag),
        n=300,
        label="board.refresh.etag",
        expect_status=304,
    )
    api = reverse("api-board")
    api_etag = client.get(api)["ETag"]
    bench.measure(lambda i: client.get(api), n=100, label="board.api")
    bench.measure(
        lambda i: client.get(api, HTTP_IF_NONE_MATCH=api_etag),
        n=300,
        label="board.api.304",
        expect_status=304,
    )

"""The outbox under load: commit to sent through Redis and a real `celery worker`.

BENCH_MESSAGING_PRODUCERS (4) threads, like counter computers, enqueue messages
in transactions of BENCH_MESSAGING_BATCH (20); BENCH_MESSAGING_WORKERS (1)
`celery worker` subprocess (pool BENCH_MESSAGING_POOL threads, concurrency
BENCH_MESSAGING_CONCURRENCY 8) sends them with the development SMS backend.
p95_ms is the time from a message's commit to its `sent_at`; per_second is how
many went from commit to sent per second over the whole burst (so p95 there
includes the queue a burst builds). messaging.outbox_paced offers one message
per transaction at a steady BENCH_MESSAGING_PACED_RATE (100/s): its p95_ms is
the latency of a single status text.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings

from bench.harness import Bench, percentile, scenario

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = int(os.environ.get("BENCH_MESSAGING_N", "2000"))
# Messages committed together, as a busy counter's status changes arrive in bursts.
BATCH = int(os.environ.get("BENCH_MESSAGING_BATCH", "20"))
# Worker processes, each with a pool of CONCURRENCY threads (sending is mostly waiting).
WORKERS = int(os.environ.get("BENCH_MESSAGING_WORKERS", "1"))
CONCURRENCY = int(os.environ.get("BENCH_MESSAGING_CONCURRENCY", "8"))
POOL = os.environ.get("BENCH_MESSAGING_POOL", "threads")
# The paced run: single-message transactions at a steady rate.
PACED_MESSAGES = int(os.environ.get("BENCH_MESSAGING_PACED_N", "1000"))
PACED_RATE = float(os.environ.get("BENCH_MESSAGING_PACED_RATE", "100"))
# Requests committing at once (threads of this process, each with its own connection).
PRODUCERS = int(os.environ.get("BENCH_MESSAGING_PRODUCERS", "4"))


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def _workers(queue: str, redis_url: str):
    """WORKERS `celery worker` processes on the bench's own queue, stopped afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "SMS_BACKEND": "dev",
    }
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={POOL}",
                f"--concurrency={CONCURRENCY}",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel=WARNING",
                f"--queues={queue}",
                f"--hostname={queue}-{n}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(WORKERS)
    ]
    try:
        yield [process.pid for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _reset_pools(app) -> None:
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextlib.contextmanager
def _publishing_to(redis_url: str):
    """This process publishes to Redis even where the settings run tasks in-process."""
    from config.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = redis_url, False
    _reset_pools(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_pools(app)


@contextlib.contextmanager
def _outbox_rig():
    """Workers on a fresh queue, this process publishing to it; yields the rows' key prefix."""
    from shop.tasks import worker_heartbeat

    redis_url = settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    with (
        _publishing_to(redis_url),
        override_settings(OUTBOX_TASK_QUEUE=queue, SMS_BACKEND="dev"),
        _workers(queue, redis_url) as pids,
    ):
        # Ready when it answers.
        for _ in range(WORKERS * CONCURRENCY):
            worker_heartbeat.apply_async(queue=queue).get(timeout=60)
        yield Rig(prefix=f"bench:{queue}:", worker_pids=pids)


@dataclass
class Rig:
    prefix: str
    worker_pids: list[int]
    cpu_at_start: float = 0.0
    own_cpu_at_start: float = 0.0

    def start(self) -> float:
        """Start the clocks; the wall time of the first commit."""
        self.cpu_at_start = _cpu_seconds(self.worker_pids)
        self.own_cpu_at_start = time.process_time()
        return time.time()

    def cpu_ms_per_message(self, messages: int) -> dict:
        """CPU spent per message by the workers and by this process: steady on a busy machine."""
        worker = _cpu_seconds(self.worker_pids) - self.cpu_at_start
        own = time.process_time() - self.own_cpu_at_start
        return {
            "worker_cpu_ms_per_message": round(worker * 1000 / messages, 2),
            "producer_cpu_ms_per_message": round(own * 1000 / messages, 2),
        }


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (all their threads), from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _wait_until_sent(prefix: str, what: str) -> None:
    from outbox.models import OutboundMessage

    deadline = time.monotonic() + 120
    ours = OutboundMessage.objects.filter(idempotency_key__startswith=prefix)
    while ours.exclude(state=OutboundMessage.State.SENT).exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: messages were still unsent after 2 min")
        time.sleep(0.02)


def _record(bench: Bench, prefix: str, committed: dict[int, float], started: float, **extra):
    """Commit-to-sent times of the run's messages; then the rows are removed."""
    from messaging.models import DevSms
    from outbox.models import OutboundMessage

    ours = OutboundMessage.objects.filter(idempotency_key__startswith=prefix)
    sent = dict(ours.values_list("pk", "sent_at"))
    latencies = [(sent[pk].timestamp() - at) * 1000 for pk, at in committed.items()]
    last_sent = max(value.timestamp() for value in sent.values())
    texts = DevSms.objects.filter(idempotency_key__startswith=prefix)
    bench.record(
        n=len(committed),
        p50_ms=round(percentile(latencies, 0.5), 2),
        p95_ms=round(percentile(latencies, 0.95), 2),
        queries="",
        per_second=round(len(committed) / (last_sent - started), 1),
        workers=f"{WORKERS} x {POOL} {CONCURRENCY}",
        duplicates=texts.count() - len(committed),
        **extra,
    )
    texts.delete()
    ours.delete()


@scenario("messaging.outbox")
def outbox(bench: Bench) -> None:
    """A burst: how many messages per second go from commit to sent."""
    from messaging.services.outbox import message_enqueue

    committed: dict[int, float] = {}
    with _outbox_rig() as rig:
        prefix = rig.prefix

        def produce(batches: list[range]) -> None:
            """One counter computer: its transactions, one after another."""
            try:
                for batch in batches:
                    with transaction.atomic():
                        ids: list[int] = []
                        # Runs first after the COMMIT, before the publishes: the commit time.
                        transaction.on_commit(
                            lambda ids=ids: committed.update(dict.fromkeys(ids, time.time()))
                        )
                        for i in batch:
                            message = message_enqueue(
                                channel="sms",
                                to=f"+1312555{i % 10000:04d}",
                                body=f"Your vehicle is ready for pickup ({i}).",
                                idempotency_key=f"{prefix}{i}",
                            )
                            ids.append(message.pk)
            finally:
                connection.close()

        batches = [range(i, min(i + BATCH, MESSAGES)) for i in range(0, MESSAGES, BATCH)]
        started = rig.start()
        with ThreadPoolExecutor(PRODUCERS) as pool:
            list(pool.map(produce, [batches[n::PRODUCERS] for n in range(PRODUCERS)]))
        enqueued = time.time()
        _wait_until_sent(prefix, "messaging.outbox")
        cpu = rig.cpu_ms_per_message(MESSAGES)
    _record(
        bench,
        prefix,
        committed,
        started,
        commits_per_second=round(MESSAGES / (enqueued - started), 1),
        producers=PRODUCERS,
        **cpu,
    )


@scenario("messaging.outbox_paced")
def outbox_paced(bench: Bench) -> None:
    """A steady counter: one message per transaction at PACED_RATE a second; p95 commit to sent."""
    from messaging.services.outbox import message_enqueue

    committed: dict[int, float] = {}
    with _outbox_rig() as rig:
        prefix = rig.prefix
        started = rig.start()
        for i in range(PACED_MESSAGES):
            delay = started + i / PACED_RATE - time.time()
            if delay > 0:
                time.sleep(delay)
            with transaction.atomic():
                message = message_enqueue(
                    channel="sms",
                    to=f"+1312555{i % 10000:04d}",
                    body=f"Your vehicle is ready for pickup ({i}).",
                    idempotency_key=f"{prefix}{i}",
                )
                transaction.on_commit(lambda pk=message.pk: committed.__setitem__(pk, time.time()))
        _wait_until_sent(prefix, "messaging.outbox_paced")
        cpu = rig.cpu_ms_per_message(PACED_MESSAGES)
    _record(bench, prefix, committed, started, offered_per_second=PACED_RATE, **cpu)


@scenario("messaging.inbox")
def inbox(bench: Bench) -> None:
    """Customers who texted, unread first, and the week's failures, on a shop with years of it."""
    from django.urls import reverse

    client = bench.client_for("owner")
    url = reverse("messaging:inbox")
    bench.measure(lambda i: client.get(url), n=100)


@scenario("messaging.conversation")
def conversation(bench: Bench) -> None:
    from django.urls import reverse

    from messaging.models import InboundMessage

    customer_id = (
        InboundMessage.objects.filter(customer__isnull=False)
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
        .first()
    )
    client = bench.client_for("owner")
    url = reverse("messaging:conversation", args=[customer_id])
    bench.measure(lambda i: client.get(url), n=100)


@scenario("messaging.unread_replies")
def unread_replies(bench: Bench) -> None:
    """The board's question: which of its 60 customers have an unread reply (one query)."""
    from customers.models import Customer
    from messaging.selectors import customers_with_unread_replies

    ids = list(Customer.objects.order_by("id").values_list("id", flat=True)[:3000:50])

    class Done:
        status_code = 200

    def ask(i: int) -> Done:
        customers_with_unread_replies(ids)
        return Done()

    bench.measure(ask, n=200)

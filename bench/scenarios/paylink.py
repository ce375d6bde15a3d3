"""Pay by link on the bench shop: the customer's pay page, and Stripe's webhook recording a
payment (a signed checkout.session.completed for a different open invoice each time), with
the same notification delivered again (recorded once: nothing more is written) beside it."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.db.models import Sum
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bench.harness import Bench, scenario

SECRET = "whsec_bench_paylink"


def _open_invoices(n: int) -> list[tuple[int, object]]:
    """n billed invoices with a balance: the bench shop's, topped up with new $120 ones
    (written and billed out through the work orders' services, outside the timing)."""
    from customers.models import Vehicle
    from payments.models import LedgerEntry
    from shop.models import User
    from workorders import services
    from workorders.models import Status

    found = list(
        LedgerEntry.objects.filter(work_order__closed_at__isnull=False)
        .values("work_order_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=0)
        .order_by("-work_order_id")
        .values_list("work_order_id", "balance")[:n]
    )
    advisor = User.objects.get(username="owner")  # bills out fleet work unapproved too
    billed = Status.objects.filter(number=17).first()
    vehicles = Vehicle.objects.order_by("-id")[: max(0, n - len(found))]
    for vehicle in vehicles:
        wo = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=1000)
        job = services.job_add(
            by=advisor, work_order=wo, version=wo.version, title="Brakes", category="Brakes"
        )
        wo.refresh_from_db()
        services.line_add(
            by=advisor,
            job=job,
            version=wo.version,
            kind="labor",
            description="Replace front pads",
            quantity="1",
            unit_price="120.00",
        )
        wo.refresh_from_db()
        services.workorder_status_set(by=advisor, work_order=wo, version=wo.version, status=billed)
        balance = LedgerEntry.objects.filter(work_order=wo).aggregate(total=Sum("amount"))["total"]
        found.append((wo.pk, balance))
    return found


def _signed(payload: bytes) -> str:
    at = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


@scenario("payments.paylink_page")
def pay_page(bench: Bench) -> None:
    """The customer opens their pay link (a fixed number of queries)."""
    from messaging.services import customer_link_token_make
    from workorders.models import WorkOrder

    ids = [pk for pk, _balance in _open_invoices(200)]
    urls = [
        reverse("payments:pay", args=[customer_link_token_make(wo)])
        for wo in WorkOrder.objects.filter(pk__in=ids)
    ]
    client = Client()
    with override_settings(PAYMENTS_PROVIDER="stripe", STRIPE_WEBHOOK_SECRET=SECRET):
        bench.measure(lambda i: client.get(urls[i % len(urls)]), n=200)


@scenario("payments.paylink_webhook")
def webhook(bench: Bench) -> None:
    """Stripe's webhook: verify the signature, record the payment through payment_take."""
    from payments.models import OnlineCheckout
    from workorders.models import WorkOrder

    n, warmup = 150, 5
    invoices = _open_invoices(n + warmup)
    customers = dict(
        WorkOrder.objects.filter(pk__in=[pk for pk, _ in invoices]).values_list("pk", "customer_id")
    )
    payloads = []
    for work_order_id, balance in invoices:
        checkout = OnlineCheckout.objects.create(
            work_order_id=work_order_id,
            customer_id=customers[work_order_id],
            kind="invoice",
            amount=balance,
            currency="usd",
            provider="stripe",
            provider_checkout_id=f"cs_bench_{work_order_id}_{time.time_ns()}",
            created_at=timezone.now(),
        )
        session = {
            "id": checkout.provider_checkout_id,
            "object": "checkout.session",
            "amount_total": int(balance * 100),
            "currency": "usd",
            "payment_intent": f"pi_bench_{checkout.pk}",
            "payment_status": "paid",
            "metadata": {"shop_checkout_id": str(checkout.pk)},
        }
        event = {"id": f"evt_bench_{checkout.pk}", "object": "event"}
        event |= {"type": "checkout.session.completed", "data": {"object": session}}
        payloads.append(json.dumps(event).encode())
    client = Client()
    url = reverse("payments:webhook", args=["stripe"])

    def deliver(payload: bytes):
        return client.post(
            url, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=_signed(payload)
        )

    with override_settings(PAYMENTS_PROVIDER="stripe", STRIPE_WEBHOOK_SECRET=SECRET):
        # The warm-up calls come first: each call takes the next notification.
        first = iter(payloads)
        bench.measure(lambda i: deliver(next(first)), n=n, warmup=warmup)
        # Baseline beside it: the same notifications again, recorded nothing more.
        again = iter(payloads[warmup:])
        bench.measure(
            lambda i: deliver(next(again)),
            n=n,
            warmup=0,
            label="payments.paylink_webhook (delivered again)",
        )

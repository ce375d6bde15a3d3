"""Pay by link: the deposit the shop asks for, the customer's checkout at the provider,
recording the provider's payment exactly once, and texting or e-mailing the link.

A payment from a provider goes through `online_payment_record` and nowhere else (the
Stripe webhook and the development backend's "Pretend to pay" page alike). It is believed
only when it names a checkout of ours at that provider, for exactly the checkout's amount
and currency. It is recorded through `payment_take` (or `deposit_take` for a deposit) as
one "online" tender, so the ledger, the events (`payment_received`, `invoice_paid`) and End
of Day see it like any other payment. The provider's payment id is unique in
`OnlinePaymentReceipt`: the same payment delivered again, even at the same moment,
records nothing more. Every refusal is logged (logger "payments.paylink").
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from messaging.services import customer_link_token_make, customer_message_send
from messaging.services.conversations import email_address_get
from outbox.models import Channel, OutboundMessage
from payments.models import (
    DepositRequest,
    Drawer,
    OnlineCheckout,
    OnlinePaymentReceipt,
    Tender,
)
from payments.providers import (
    CheckoutRequest,
    CheckoutStarted,
    PaymentNotice,
    PaymentProvider,
    ProviderError,
    provider_get,
)
from payments.selectors import drawer_open_day
from payments.selectors_paylink import AmountDue, amount_due
from payments.services.ledger import drawer_default
from payments.services.taking import (
    TenderInput,
    claim_work_order,
    deposit_take,
    money_read,
    payment_take,
)
from shop.errors import ServiceError
from shop.models import User
from shop.selectors import shop_profile_get
from workorders.models import WorkOrder

logger = logging.getLogger("payments.paylink")


def paylink_url_make(work_order: WorkOrder) -> str:
    """The customer's pay page: the same signed, expiring token as their link (messaging)."""
    return settings.SHOP_BASE_URL + reverse(
        "payments:pay", args=[customer_link_token_make(work_order)]
    )


@transaction.atomic
def deposit_request_set(*, by: User, work_order: WorkOrder | int, amount: Any) -> DepositRequest:
    """Ask for a deposit on an estimate or repair order; the customer's link offers to pay
    it (less what is held already). Asking again replaces the amount."""
    amount = money_read(amount, label="The deposit")
    work_order = claim_work_order(work_order)
    if work_order.closed_at is not None:
        raise ServiceError(
            f"Invoice #{work_order.pk} is billed out: send the invoice's link instead of "
            "asking for a deposit.",
            code="billed",
        )
    if amount <= 0:
        raise ServiceError("The deposit must be more than zero.", field="amount")
    if amount > work_order.grand_total:
        raise ServiceError(
            f"A deposit of ${amount} is more than the ${work_order.grand_total} written so far.",
            field="amount",
        )
    request, _ = DepositRequest.objects.update_or_create(
        work_order=work_order,
        defaults={"amount": amount, "requested_by": by, "requested_at": timezone.now()},
    )
    return request


def _description(work_order: WorkOrder, due: AmountDue) -> str:
    shop = shop_profile_get().name
    if due.is_deposit:
        return f"{shop}: deposit on estimate #{work_order.pk} ({work_order.vehicle})"
    return f"{shop}: invoice #{work_order.pk} ({work_order.vehicle})"


def online_checkout_start(
    *,
    work_order_id: int,
    success_url: str,
    cancel_url: str,
    provider: PaymentProvider | None = None,
) -> CheckoutStarted:
    """The customer pressed Pay: a checkout row for what is due now, then the provider's
    checkout (called outside any transaction: it is a network call)."""
    provider = provider or provider_get()
    if provider is None:
        raise ServiceError(
            "Paying online is not offered by this shop. Call the shop to pay.", code="off"
        )
    with transaction.atomic():
        work_order = claim_work_order(work_order_id)
        due = amount_due(work_order)
        if due is None:
            raise ServiceError("Nothing is due on this work order.", code="nothing_due")
        checkout = OnlineCheckout.objects.create(
            work_order=work_order,
            customer_id=work_order.customer_id,
            kind=due.kind,
            amount=due.amount,
            currency=settings.STRIPE_CURRENCY,
            provider=provider.name,
            created_at=timezone.now(),
        )
    try:
        started = provider.checkout_start(
            CheckoutRequest(
                checkout_id=checkout.pk,
                amount=checkout.amount,
                currency=checkout.currency,
                description=_description(work_order, due),
                success_url=success_url,
                cancel_url=cancel_url,
                customer_email=email_address_get(work_order.customer),
                idempotency_key=f"shop-checkout-{checkout.pk}-{uuid.uuid4().hex}",
            )
        )
    except ProviderError as error:
        logger.error("Checkout #%s not opened at %s: %s", checkout.pk, provider.name, error)
        raise ServiceError(
            "The payment page could not be opened just now. Please try again in a minute.",
            code="provider",
        ) from None
    OnlineCheckout.objects.filter(pk=checkout.pk).update(
        provider_checkout_id=started.provider_checkout_id
    )
    return started


def _refuse(notice: PaymentNotice, provider_name: str, message: str, code: str) -> ServiceError:
    logger.warning(
        "Refused %s payment %s (event %s, checkout %s, %s %s): %s",
        provider_name,
        notice.provider_payment_id,
        notice.event_id,
        notice.checkout_id,
        notice.amount,
        notice.currency,
        message,
    )
    return ServiceError(f"{message} Nothing was recorded.", code=code)


@transaction.atomic
def online_payment_record(
    *, provider_name: str, notice: PaymentNotice
) -> tuple[OnlinePaymentReceipt, bool]:
    """Record a provider's payment once. Returns (receipt, True) when recorded now,
    (receipt, False) when it was recorded before (the same payment delivered again).
    ServiceError (code unknown, amount_mismatch, already_paid, or payment_take's and
    deposit_take's own) when refused: nothing is written."""
    checkout = (
        OnlineCheckout.objects.select_for_update()
        .filter(pk=notice.checkout_id, provider=provider_name)
        .first()
        if notice.checkout_id is not None
        else None
    )
    # After the checkout's lock: a delivery racing this one has committed or not started.
    earlier = OnlinePaymentReceipt.objects.filter(
        provider=provider_name, provider_payment_id=notice.provider_payment_id
    ).first()
    if earlier is not None:
        logger.info(
            "%s payment %s delivered again (event %s): recorded once already as payment #%s",
            provider_name,
            notice.provider_payment_id,
            notice.event_id,
            earlier.payment_id,
        )
        return earlier, False
    if checkout is None or (
        notice.provider_checkout_id and notice.provider_checkout_id != checkout.provider_checkout_id
    ):
        raise _refuse(notice, provider_name, "No such checkout at this shop.", "unknown")
    if notice.currency != checkout.currency or notice.amount != checkout.amount:
        raise _refuse(
            notice,
            provider_name,
            f"The amount paid ({notice.amount} {notice.currency.upper()}) is not the "
            f"{checkout.amount} {checkout.currency.upper()} asked.",
            "amount_mismatch",
        )
    if OnlinePaymentReceipt.objects.filter(checkout=checkout).exists():
        raise _refuse(
            notice,
            provider_name,
            f"Checkout #{checkout.pk} was paid already by another payment: refund this one at "
            "the provider.",
            "already_paid",
        )
    try:
        with transaction.atomic():
            receipt = OnlinePaymentReceipt.objects.create(
                provider=provider_name,
                provider_payment_id=notice.provider_payment_id,
                event_id=notice.event_id,
                checkout=checkout,
                amount=notice.amount,
                received_at=timezone.now(),
            )
    except IntegrityError:
        raise _refuse(notice, provider_name, "This event was received before.", "replay") from None
    tender = TenderInput(Tender.ONLINE, notice.amount, reference=notice.provider_payment_id[:60])
    note = f"Paid by link ({provider_name}, {notice.provider_payment_id})"
    # The work order first, then the drawer: the order a cashier's payment locks them in.
    claim_work_order(checkout.work_order_id)
    drawer, business_date = _open_day(receipt.received_at)
    if business_date != timezone.localdate(receipt.received_at):
        note += (
            f"; received {timezone.localtime(receipt.received_at):%b %-d, %-I:%M %p} after "
            f"{drawer}'s End of Day, counted on {business_date:%b %-d, %Y}"
        )
    try:
        if checkout.kind == OnlineCheckout.Kind.DEPOSIT:
            payment = deposit_take(
                by=None,
                work_order=checkout.work_order_id,
                tenders=[tender],
                drawer=drawer,
                business_date=business_date,
                note=note,
            )
        else:
            # The money is taken: a cashier's payment in between leaves the rest as credit.
            payment = payment_take(
                by=None,
                work_order=checkout.work_order_id,
                tenders=[tender],
                keep_excess_as_credit=True,
                drawer=drawer,
                business_date=business_date,
                note=note,
            )
    except ServiceError as error:
        raise _refuse(
            notice,
            provider_name,
            f"{error.message.removesuffix(' Nothing was recorded.')} Refund it at the provider.",
            error.code or "refused",
        ) from None
    OnlinePaymentReceipt.objects.filter(pk=receipt.pk).update(payment=payment)
    receipt.payment = payment
    logger.info(
        "%s payment %s recorded as payment #%s on work order #%s",
        provider_name,
        notice.provider_payment_id,
        payment.pk,
        checkout.work_order_id,
    )
    return receipt, True


def _open_day(received_at: datetime) -> tuple[Drawer, date]:
    """The drawer and day a payment that arrives by itself is counted on: the day it
    arrived, or when End of Day has closed that day, the next day still open, so a closed
    day's figures never change (its payment keeps its real time as `taken_at`). The drawer
    is locked first: an End of Day running at the same moment closes before this payment
    (which then goes to the next day) or after it (and counts it)."""
    drawer = Drawer.objects.select_for_update().get(pk=drawer_default().pk)
    return drawer, drawer_open_day(drawer_id=drawer.pk, day=timezone.localdate(received_at))


def paylink_message_render(*, work_order: WorkOrder, due: AmountDue) -> str:
    shop = shop_profile_get().name
    name = work_order.customer.display_name
    url = paylink_url_make(work_order)
    if due.is_deposit:
        return (
            f"Hi {name}, {shop} asks a deposit of ${due.amount:,.2f} on the estimate for your "
            f"{work_order.vehicle}. See it and pay online: {url}"
        )
    return (
        f"Hi {name}, your invoice #{work_order.pk} from {shop} is ready: ${due.amount:,.2f} due "
        f"for your {work_order.vehicle}. See it and pay online: {url}"
    )


@transaction.atomic
def paylink_send(
    *, by: User, work_order: WorkOrder | int, channel: str, token: str
) -> OutboundMessage:
    """Text or e-mail the customer "your invoice is ready" (or the deposit asked) with the
    pay link, through the outbox (messaging's advisor message: consent, idempotent form)."""
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    work_order = WorkOrder.objects.select_related("customer", "vehicle").get(pk=pk)
    if channel not in (Channel.SMS, Channel.EMAIL):
        raise ServiceError("Choose text or e-mail.", field="channel")
    due = amount_due(work_order)
    if due is None:
        raise ServiceError(
            f"Nothing is due on #{work_order.pk}: bill it out, or ask for a deposit first.",
            code="nothing_due",
        )
    subject = (
        f"{shop_profile_get().name}: deposit for your {work_order.vehicle}"
        if due.is_deposit
        else f"{shop_profile_get().name}: your invoice #{work_order.pk} is ready"
    )
    return customer_message_send(
        customer=work_order.customer,
        channel=channel,
        body=paylink_message_render(work_order=work_order, due=due),
        subject=subject,
        by=by,
        token=token,
    )

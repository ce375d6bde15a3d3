"""Pay by link: the customer's pay page (public, signed token), the development backend's
"Pretend to pay" page, the providers' webhooks, and the advisor's Send link / Ask for a
deposit buttons (editor's Pay by link panel)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.services import customer_link_token_make, customer_link_work_order_id_read
from payments import selectors_paylink, services
from payments.providers import ProviderRefused, provider_get
from shop.errors import ServiceError
from shop.security import security_function
from shop.selectors import shop_profile_get
from workorders.models import WorkOrder

logger = logging.getLogger("payments.paylink")

# A refused notification's answer: the provider shows it in its delivery log.
REFUSAL_STATUS = {"unknown": 404, "amount_mismatch": 400, "replay": 400}


def _link_work_order(token: str) -> WorkOrder:
    work_order_id = customer_link_work_order_id_read(token)
    work_order = (
        WorkOrder.objects.select_related("customer", "vehicle", "status")
        .filter(pk=work_order_id)
        .first()
    )
    if work_order is None:
        raise ServiceError("This work order no longer exists.", code="invalid")
    return work_order


def _refused_page(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(
        request,
        "messaging/customer_link_invalid.html",
        {"error": error, "shop": shop_profile_get()},
        status=410 if error.code == "expired" else 404,
    )


def _pay_page(request: HttpRequest, token: str, work_order: WorkOrder, *, status=200):
    balance, due = selectors_paylink.link_money(work_order)
    context = {
        "shop": shop_profile_get(),
        "token": token,
        "wo": work_order,
        "due": due,
        "balance": balance,
        "provider": provider_get(),
    }
    return render(request, "payments/paylink/pay.html", context, status=status)


@never_cache
@login_not_required
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's pay page: what is due, and Pay (POST opens the provider's checkout)."""
    try:
        work_order = _link_work_order(token)
    except ServiceError as error:
        return _refused_page(request, error)
    if request.method != "POST":
        return _pay_page(request, token, work_order)
    base = settings.SHOP_BASE_URL
    try:
        started = services.online_checkout_start(
            work_order_id=work_order.pk,
            success_url=base + reverse("payments:pay_done", args=[token]),
            cancel_url=base + reverse("payments:pay", args=[token]),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _pay_page(request, token, work_order, status=409)
    return redirect(started.redirect_url)


@never_cache
@login_not_required
def pay_done(request: HttpRequest, token: str) -> HttpResponse:
    """Where the provider sends the customer back: paid, or being confirmed."""
    try:
        work_order = _link_work_order(token)
    except ServiceError as error:
        return _refused_page(request, error)
    balance, due = selectors_paylink.link_money(work_order)
    context = {"shop": shop_profile_get(), "token": token, "wo": work_order, "due": due}
    context["balance"] = balance
    return render(request, "payments/paylink/done.html", context)


@never_cache
@login_not_required
def pretend_pay(request: HttpRequest, checkout_ref: str) -> HttpResponse:
    """The development backend's checkout: "Pretend to pay" sends the notification a
    provider would, through the webhook's reading and recording path. Served only while
    the development backend is selected."""
    provider = provider_get()
    if provider is None or not provider.pretends:
        raise Http404("Pretend to pay is only for the development backend.")
    checkout = selectors_paylink.checkout_by_provider_id(
        provider=provider.name, provider_checkout_id=checkout_ref
    )
    if checkout is None:
        raise Http404("No such checkout.")
    token = customer_link_token_make(checkout.work_order)
    if request.method == "POST":
        payload, headers = provider.notification_make(
            checkout_id=checkout.pk,
            checkout_ref=checkout.provider_checkout_id,
            amount=checkout.amount,
            currency=checkout.currency,
        )
        try:
            notice = provider.notification_read(payload=payload, headers=headers)
            services.online_payment_record(provider_name=provider.name, notice=notice)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("payments:pay", token)
        return redirect("payments:pay_done", token)
    context = {"shop": shop_profile_get(), "checkout": checkout, "token": token}
    return render(request, "payments/paylink/pretend.html", context)


@csrf_exempt
@require_POST
@login_not_required
def webhook(request: HttpRequest, provider_name: str) -> HttpResponse:
    """A provider's notification. Believed only from the selected backend, with its
    signature (Stripe: construct_event against STRIPE_WEBHOOK_SECRET). A refusal is a 4xx,
    logged, and nothing is recorded; the same payment again is a 200 that records nothing."""
    provider = provider_get()
    if provider is None or provider.name != provider_name:
        raise Http404("No such payment provider here.")
    try:
        notice = provider.notification_read(payload=request.body, headers=request.headers)
    except ProviderRefused as refused:
        logger.warning(
            "Refused a %s notification from %s: %s",
            provider_name,
            request.META.get("REMOTE_ADDR"),
            refused.message,
        )
        return JsonResponse({"error": refused.message}, status=400)
    if notice is None:
        return JsonResponse({"received": True, "recorded": False})
    try:
        receipt, created = services.online_payment_record(
            provider_name=provider.name, notice=notice
        )
    except ServiceError as error:
        return JsonResponse(
            {"error": error.message}, status=REFUSAL_STATUS.get(error.code or "", 409)
        )
    return JsonResponse({"received": True, "recorded": created, "payment": receipt.payment_id})


def _editor(work_order_id: int) -> HttpResponse:
    return redirect(reverse("workorders:editor", args=[work_order_id]) + "#paylink")


@require_POST
@security_function("send_pay_links")
def paylink_send(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Text or e-mail the pay link ("your invoice is ready") through the outbox."""
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    channel = request.POST.get("channel", "")
    try:
        message = services.paylink_send(
            by=request.user,
            work_order=work_order,
            channel=channel,
            token=request.POST.get("token", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _editor(work_order.pk)
    how = "texted to" if message.channel == "sms" else "e-mailed to"
    messages.success(request, f"Pay link {how} {message.to}.")
    return _editor(work_order.pk)


@require_POST
@security_function("send_pay_links")
def deposit_request(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Ask for a deposit on an estimate or repair order (paid from the customer's link)."""
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    try:
        asked = services.deposit_request_set(
            by=request.user, work_order=work_order, amount=request.POST.get("amount", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Deposit of ${asked.amount:,.2f} asked: send the link.")
    return _editor(work_order.pk)

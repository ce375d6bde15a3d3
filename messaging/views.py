from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from customers.models import Customer
from messaging import selectors, services
from messaging.forms import MessageForm, ReplyForm, SimulatedReplyForm, new_token
from messaging.models import DevSms, SmsOptOut
from messaging.sms import dev_backend_active
from messaging.webhooks import twilio_request_is_signed
from outbox.models import Channel, OutboundMessage
from shop.errors import ServiceError
from shop.files import stored_file_response
from shop.forms import form_error
from shop.security import can, security_function

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


# --- The advisor's pages ---------------------------------------------------------


@security_function("view_customer_messages")
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": selectors.inbox(),
            "failures": selectors.recent_failures(),
            "unmatched": selectors.unmatched_texts(),
            "can_send": can(request.user, "send_customer_messages", request),
            "token": new_token(),
        },
    )


@require_POST
@security_function("send_customer_messages")
def message_resend(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(OutboundMessage.objects.select_related("customer"), pk=message_id)
    try:
        again = services.message_resend(
            message=message, by=request.user, token=request.POST.get("token", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Sent again to {again.to}.")
    return redirect("messaging:inbox")


def _conversation_context(request: HttpRequest, customer: Customer, form=None) -> dict:
    number = services.texting_number_get(customer)
    opted_out = bool(number) and SmsOptOut.objects.filter(e164=number).exists()
    return {
        "customer": customer,
        "entries": selectors.conversation_for(customer),
        "number": number,
        "opted_out": opted_out,
        "can_send": can(request.user, "send_customer_messages", request),
        "form": form or ReplyForm(initial={"token": new_token()}),
    }


@security_function("view_customer_messages")
def conversation(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer's texts; opening it reads their replies. htmx polls the thread alone."""
    customer = get_object_or_404(Customer, pk=customer_id)
    services.conversation_mark_read(customer=customer, by=request.user)
    context = _conversation_context(request, customer)
    if request.htmx:
        return render(request, "messaging/partials/thread.html", context)
    context["emails"] = selectors.emails_for(customer)[:50]
    return render(request, "messaging/conversation.html", context)


@require_POST
@security_function("send_customer_messages")
def conversation_reply(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_id)
    form = ReplyForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.customer_message_send(
                customer=customer,
                channel=Channel.SMS,
                body=form.cleaned_data["body"],
                by=request.user,
                token=form.cleaned_data["token"],
            )
        except ServiceError as error:
            form_error(form, error)
            status = 422
        else:
            if not request.htmx:
                messages.success(request, "Your text is on its way.")
                return redirect("messaging:conversation", customer_id=customer.pk)
            form = None
    else:
        status = 422
    if not request.htmx:
        context = _conversation_context(request, customer, form)
        context["emails"] = selectors.emails_for(customer)[:50]
        return render(request, "messaging/conversation.html", context, status=status)
    # htmx swaps the whole conversation: the thread with the new text, and a fresh form.
    return render(
        request,
        "messaging/partials/conversation_body.html",
        _conversation_context(request, customer, form),
        status=200 if status == 200 else 422,
    )


@security_function("send_customer_messages")
def message_send(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Text or e-mail a customer from the customer page or the board."""
    customer = get_object_or_404(
        Customer.objects.prefetch_related("phones", "emails"), pk=customer_id
    )
    form = MessageForm(request.POST or None, initial={"token": new_token()})
    if request.method == "POST" and form.is_valid():
        try:
            message = services.customer_message_send(
                customer=customer,
                channel=form.cleaned_data["channel"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
                token=form.cleaned_data["token"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                f"Your {message.get_channel_display().lower()} to {message.to} is on its way.",
            )
            return redirect("messaging:conversation", customer_id=customer.pk)
    return render(
        request,
        "messaging/message_send.html",
        {
            "customer": customer,
            "form": form,
            "number": services.texting_number_get(customer),
            "address": services.email_address_get(customer),
        },
        status=422 if request.method == "POST" else 200,
    )


@security_function("view_dev_sms")
def dev_sms(request: HttpRequest) -> HttpResponse:
    """The development backend's texts, and a form to pretend a customer replied."""
    if not (settings.DEBUG or dev_backend_active()):
        raise Http404("The development text page is off: SMS_BACKEND is not “dev”.")
    form = SimulatedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inbound = services.inbound_text_receive(
                provider_message_id=f"dev-in-{new_token()}",
                from_number=form.cleaned_data["from_number"],
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            who = inbound.customer.display_name if inbound.customer else "no customer"
            messages.success(request, f"Received as a text from {inbound.from_e164} ({who}).")
            return redirect("messaging:dev_sms")
    return render(
        request,
        "messaging/dev_sms.html",
        {"texts": DevSms.objects.all()[:100], "form": form},
    )


# --- The customer's link (public, signed) -----------------------------------------


def _customer_link_context(token: str) -> dict:
    work_order_id = services.customer_link_work_order_id_read(token)
    work_order = selectors.customer_link_work_order(work_order_id)
    if work_order is None:
        raise ServiceError("This work order no longer exists.", code="invalid")
    from shop.selectors import shop_profile_get

    return {"work_order": work_order, "token": token, "shop": shop_profile_get()}


def _link_refused(request: HttpRequest, error: ServiceError) -> HttpResponse:
    from shop.selectors import shop_profile_get

    return render(
        request,
        "messaging/customer_link_invalid.html",
        {"error": error, "shop": shop_profile_get()},
        status=410 if error.code == "expired" else 404,
    )


@never_cache
@login_not_required
def customer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page: their vehicle's status, its inspection and the estimate, job by job."""
    try:
        context = _customer_link_context(token)
    except ServiceError as error:
        return _link_refused(request, error)
    from messaging import link_panels

    context["panels"] = link_panels.render_all(context["work_order"], token)
    return render(request, "messaging/customer_link.html", context)


PHOTO_SIZES = {"thumb", "full"}
PHOTO_CACHE_SECONDS = 3600


@login_not_required
def customer_link_photo(request: HttpRequest, token: str, photo_id: int, size: str) -> HttpResponse:
    """An inspection photo, for the holder of the work order's link and nobody else."""
    try:
        work_order_id = services.customer_link_work_order_id_read(token)
    except ServiceError as error:
        return _link_refused(request, error)
    photo = selectors.customer_link_photo(work_order_id=work_order_id, photo_id=photo_id)
    if photo is None or size not in PHOTO_SIZES:
        raise Http404("No such photo on this work order.")
    field = photo.thumbnail if size == "thumb" else photo.image
    try:
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
    except (OSError, ValueError):
        raise Http404("This photo is no longer stored.") from None
    # Private: the URL carries the customer's token, so no shared cache may keep it.
    response["Cache-Control"] = f"private, max-age={PHOTO_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
def customer_link_video(request: HttpRequest, token: str, video_id: int) -> HttpResponse:
    """An inspection video, for the holder of the work order's link and nobody else; served in
    byte ranges, as phones' players ask for it."""
    try:
        work_order_id = services.customer_link_work_order_id_read(token)
    except ServiceError as error:
        return _link_refused(request, error)
    video = selectors.customer_link_video(work_order_id=work_order_id, video_id=video_id)
    if video is None:
        raise Http404("No such video on this work order.")
    response = stored_file_response(request, video.file, content_type=video.content_type)
    # Private: the URL carries the customer's token, so no shared cache may keep it.
    response["Cache-Control"] = f"private, max-age={PHOTO_CACHE_SECONDS}"
    return response


@require_POST
@login_not_required
def customer_link_decide(request: HttpRequest, token: str, job_id: int) -> HttpResponse:
    """Approve or decline one job, then back to the page (totals change with the decision)."""
    try:
        services.customer_job_decide(
            token=token,
            job_id=job_id,
            decision=request.POST.get("decision", ""),
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ServiceError as error:
        if error.code in {"expired", "invalid"}:
            return _link_refused(request, error)
        messages.error(request, error.message)
    else:
        messages.success(request, "Thank you: your decision was sent to the shop.")
    url = reverse("messaging:customer_link", args=[token])
    return redirect(f"{url}#job-{job_id}")


# --- Provider webhooks (public, signed) -------------------------------------------


@csrf_exempt
@require_POST
@login_not_required
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    """A customer's text, from Twilio. Forged or replayed: 403 and nothing stored."""
    if not twilio_request_is_signed(request):
        logger.warning("Refused an inbound text webhook with a bad signature")
        return HttpResponseForbidden("Bad signature.")
    try:
        services.inbound_text_receive(
            provider_message_id=request.POST.get("MessageSid", ""),
            from_number=request.POST.get("From", ""),
            to_number=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
        )
    except (ServiceError, IntegrityError):
        logger.warning("Refused a replayed or incomplete inbound text webhook")
        return HttpResponseForbidden("Already received, or incomplete.")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
@login_not_required
def twilio_status(request: HttpRequest) -> HttpResponse:
    """Twilio's delivery report for a text we sent."""
    if not twilio_request_is_signed(request):
        logger.warning("Refused a delivery report webhook with a bad signature")
        return HttpResponseForbidden("Bad signature.")
    message_id = request.GET.get("m", "")
    try:
        services.delivery_report_accept(
            provider_message_id=request.POST.get("MessageSid", ""),
            provider_status=request.POST.get("MessageStatus", ""),
            error_code=request.POST.get("ErrorCode", ""),
            message_id=int(message_id) if message_id.isdigit() else None,
        )
    except ServiceError:
        return HttpResponseForbidden("Already received, or incomplete.")
    return HttpResponse(status=204)

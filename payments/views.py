"""The counter's money pages: take payment, the receipt with refund and void, A/R Status and
Paid A/R. Each view checks its security function, calls one service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from customers.models import Customer
from payments import selectors, services
from payments.forms import (
    AccountPaymentForm,
    ArTermsForm,
    DayCloseForm,
    DayForm,
    DrawerDayForm,
    RefundForm,
    TakePaymentForm,
    VoidForm,
)
from payments.models import Payment
from payments.rows import ar_status_rows, ar_status_rows_html
from payments.views_statements import statements_context
from reports import exports
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import can, check, security_function
from workorders.models import WorkOrder
from workorders.selectors import may_see


def _work_order(request: HttpRequest, work_order_id: int) -> WorkOrder:
    work_order = get_object_or_404(
        WorkOrder.objects.select_related("customer", "vehicle", "status"), pk=work_order_id
    )
    if not may_see(request.user, work_order, request):
        check(request, "view_estimates")
    return work_order


@security_function("take_payments")
def take(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Take payment at an invoice (or a deposit before bill-out): one or several tenders."""
    work_order = _work_order(request, work_order_id)
    if request.method == "POST":
        # A posted form carries what the page showed: the balance and the drawer are read
        # again only to show the page once more (the counter's fast path: bench
        # payments.take).
        form = TakePaymentForm(request.POST)
    else:
        form = TakePaymentForm(
            initial={
                "expected_balance": selectors.invoice_balance(work_order).balance,
                "drawer": services.drawer_default(),
            },
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if work_order.closed_at is None and request.POST.get("deposit") == "1":
                payment = services.deposit_take(
                    by=request.user,
                    work_order=work_order,
                    tenders=form.tenders(),
                    drawer=data["drawer"],
                    business_date=data["business_date"],
                    note=data["note"],
                )
            else:
                payment = services.payment_take(
                    by=request.user,
                    work_order=work_order,
                    tenders=form.tenders(),
                    expected_balance=data["expected_balance"] or None,
                    keep_excess_as_credit=data["keep_excess_as_credit"],
                    drawer=data["drawer"],
                    business_date=data["business_date"],
                    note=data["note"],
                )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"${payment.amount:,.2f} taken.")
            return redirect("payments:payment_detail", payment.pk)
    context = {
        "wo": work_order,
        "balance": selectors.invoice_balance(work_order),
        "form": form,
        "payments": selectors.payments_for_work_order(work_order),
        "credit": selectors.unapplied_credit(work_order.customer_id),
    }
    return render(request, "payments/take.html", context, status=400 if form.errors else 200)


@security_function("take_payments")
def payment_detail(request: HttpRequest, payment_id: int) -> HttpResponse:
    """The receipt: tenders, change due, what it was applied to; refund and void."""
    payment = get_object_or_404(
        Payment.objects.select_related("customer", "work_order", "taken_by", "drawer"),
        pk=payment_id,
    )
    context = {
        "payment": payment,
        "entries": selectors.payment_entries(payment),
        "refundable": selectors.payment_refundable(payment),
        "voided": selectors.payment_is_voided(payment),
        "refund_form": RefundForm(prefix="refund"),
        "void_form": VoidForm(prefix="void"),
        "can_refund": can(request.user, "refund_payments", request),
        "can_void": can(request.user, "void_payments", request),
    }
    return render(request, "payments/payment_detail.html", context)


def _payment_action(request: HttpRequest, payment_id: int, form, action) -> HttpResponse:
    payment = get_object_or_404(Payment, pk=payment_id)
    if form.is_valid():
        try:
            action(payment, form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect("payments:payment_detail", payment.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    response = redirect("payments:payment_detail", payment.pk)
    response.status_code = 303
    return response


@require_POST
@security_function("refund_payments")
def refund(request: HttpRequest, payment_id: int) -> HttpResponse:
    def act(payment: Payment, data: dict) -> None:
        services.payment_refund(
            by=request.user,
            payment=payment,
            amount=data["amount"],
            tender=data["tender"],
            reason=data["reason"],
            reference=data["reference"],
        )
        messages.success(request, f"${data['amount']} refunded.")

    return _payment_action(request, payment_id, RefundForm(request.POST, prefix="refund"), act)


@require_POST
@security_function("void_payments")
def void(request: HttpRequest, payment_id: int) -> HttpResponse:
    def act(payment: Payment, data: dict) -> None:
        services.payment_void(by=request.user, payment=payment, reason=data["reason"])
        messages.success(request, f"Payment #{payment.pk} voided.")

    return _payment_action(request, payment_id, VoidForm(request.POST, prefix="void"), act)


@security_function("take_payments")
def ar_status(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A/R Status: the open invoices with their age, and the totals by age; the terms."""
    customer = get_object_or_404(Customer, pk=customer_id)
    terms = selectors.ar_terms(customer)
    form = ArTermsForm(
        request.POST or None,
        initial={"credit_limit": terms.credit_limit, "net_days": terms.net_days},
    )
    if request.method == "POST":
        check(request, "manage_ar_accounts")
        if form.is_valid():
            try:
                services.ar_account_update(by=request.user, customer=customer, **form.cleaned_data)
            except ServiceError as error:
                form_error(form, error)
            else:
                messages.success(request, "Terms saved.")
                return redirect("payments:ar_status", customer.pk)
    status = selectors.ar_status(customer, terms=terms)
    rows = ar_status_rows(status)
    context = {
        "customer": customer,
        "status": status,
        "rows": rows,
        "rows_html": ar_status_rows_html(rows),  # ready, escaped (payments/rows.py)
        "terms": terms,
        "terms_form": form,
        "can_edit_terms": can(request.user, "manage_ar_accounts", request),
        **statements_context(request, customer),
    }
    return render(request, "payments/ar_status.html", context, status=400 if form.errors else 200)


@security_function("take_payments")
def account_payment(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Receive a payment on account: applied oldest first or to the invoices ticked."""
    customer = get_object_or_404(Customer, pk=customer_id)
    form = AccountPaymentForm(
        request.POST or None, initial={"drawer": services.drawer_default(), "apply": "oldest"}
    )
    chosen = [int(pk) for pk in request.POST.getlist("invoice") if pk.isdigit()]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.account_payment_take(
                by=request.user,
                customer=customer,
                tenders=form.tenders(),
                apply_to=chosen if data["apply"] == "chosen" else None,
                drawer=data["drawer"],
                business_date=data["business_date"],
                note=data["note"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"${payment.amount:,.2f} received on account.")
            return redirect("payments:payment_detail", payment.pk)
    context = {
        "customer": customer,
        "status": selectors.ar_status(customer),
        "form": form,
        "chosen": chosen,
    }
    return render(
        request, "payments/account_payment.html", context, status=400 if form.errors else 200
    )


@require_POST
@security_function("charge_to_account")
def charge_to_account(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = _work_order(request, work_order_id)
    try:
        charge = services.invoice_charge_to_account(by=request.user, work_order=work_order)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        note = " (over the credit limit, recorded)" if charge.over_limit else ""
        messages.success(request, f"${charge.amount:,.2f} charged to the account{note}.")
    return redirect(reverse("workorders:editor", args=[work_order.pk]) + "#payments")


@require_POST
@security_function("take_payments")
def credit_use(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = _work_order(request, work_order_id)
    try:
        applied = services.credit_apply(by=request.user, work_order=work_order)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"${applied:,.2f} of credit applied.")
    return redirect("payments:take", work_order.pk)


@security_function("take_payments")
def paid_ar(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Paid A/R: the customer's payments, their tenders, and what each was applied to."""
    customer = get_object_or_404(Customer, pk=customer_id)
    context = {"customer": customer, "payments": selectors.paid_history(customer)}
    return render(request, "payments/paid_ar.html", context)


@security_function("end_of_day")
def end_of_day(request: HttpRequest) -> HttpResponse:
    """End of Day for one drawer: expected by tender, counted, over/short, close."""
    today = timezone.localdate()
    picker = DrawerDayForm(
        request.GET or None,
        initial={"drawer": services.drawer_default(), "business_date": today},
    )
    drawer, day = services.drawer_default(), today
    if picker.is_bound and picker.is_valid():
        drawer, day = picker.cleaned_data["drawer"], picker.cleaned_data["business_date"]
    form = DayCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close = services.day_close(
                by=request.user,
                drawer=drawer,
                business_date=day,
                counted=form.counted(),
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            if close.over_short:
                word = "over" if close.over_short > 0 else "short"
                result = f"{word} ${abs(close.over_short):,.2f}"
            else:
                result = "it balances"
            messages.success(request, f"{drawer} closed for {day:%b %-d, %Y}: {result}.")
            return redirect(f"{reverse('payments:end_of_day')}?{request.GET.urlencode()}")
    context = {
        "picker": picker if picker.is_bound else DrawerDayForm(initial=picker.initial),
        "drawer": drawer,
        "day": selectors.drawer_day(drawer_id=drawer.pk, business_date=day),
        "form": form,
        "closes": selectors.recent_closes(),
    }
    return render(request, "payments/end_of_day.html", context, status=400 if form.errors else 200)


def _day_report(request: HttpRequest, *, build, key: str, template: str, slug: str):
    """A report as of a day (today unless the form says), as a page, a CSV file or a PDF."""
    form = DayForm(request.GET or None, initial={"date": timezone.localdate()})
    day = form.cleaned_data["date"] if form.is_bound and form.is_valid() else timezone.localdate()
    figures = build(day)
    name = f"{slug}-{day:%Y-%m-%d}"
    if request.GET.get("format") == "csv":
        return exports.csv_response(figures.csv_rows(), name)
    if request.GET.get("format") == "pdf":
        return exports.pdf_response(request, f"payments/pdf/{template}", {key: figures}, name)
    context = {"form": form, key: figures, "query": f"date={day:%Y-%m-%d}"}
    return render(request, f"payments/{template}", context, status=400 if form.errors else 200)


@security_function("daily_sales_report")
def daily_sales(request: HttpRequest) -> HttpResponse:
    """Daily Sales and Collections, as a page, a CSV file or a PDF."""
    return _day_report(
        request,
        build=selectors.daily_sales,
        key="figures",
        template="daily_sales.html",
        slug="daily-sales",
    )


@security_function("ar_aging_report")
def ar_aging(request: HttpRequest) -> HttpResponse:
    """The A/R aging report as of a day, as a page, a CSV file or a PDF."""
    return _day_report(
        request, build=selectors.ar_aging, key="report", template="ar_aging.html", slug="ar-aging"
    )

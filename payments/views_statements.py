"""Statements and finance charges: start a run (one customer from A/R Status, or every A/R
customer with a balance), follow its progress bar, download its PDF, print a statement again;
the finance-charge settings and the button that applies a month's charges. Each view checks
its security function, calls one service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import Customer
from payments import statement_selectors as selectors
from payments.models import Statement, StatementRun
from payments.services import statements as services
from payments.statement_forms import (
    FinanceChargeApplyForm,
    FinanceChargeSettingsForm,
    StatementRunForm,
)
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import can, security_function


def _settings_form(data=None) -> FinanceChargeSettingsForm:
    row = selectors.finance_charge_settings_get()
    return FinanceChargeSettingsForm(
        data, initial={"enabled": row.enabled, "rate": row.rate, "minimum": row.minimum}
    )


def _page(request: HttpRequest, *, run_form=None, settings_form=None, apply_form=None, status=200):
    context = {
        "run_form": run_form or StatementRunForm(),
        "settings_form": settings_form or _settings_form(),
        "apply_form": apply_form or FinanceChargeApplyForm(),
        "finance": selectors.finance_charge_settings_get(),
        "runs": selectors.recent_statement_runs(),
        "can_edit_settings": can(request.user, "manage_ar_accounts", request),
        "can_apply": can(request.user, "apply_finance_charges", request),
    }
    return render(request, "payments/statements/index.html", context, status=status)


def statements_context(request: HttpRequest, customer: Customer) -> dict:
    """What A/R Status shows of the customer's statements: the form and the ones sent."""
    allowed = can(request.user, "send_statements", request)
    return {
        "can_send_statements": allowed,
        "statement_form": StatementRunForm(auto_id="statement_%s") if allowed else None,
        "statements": selectors.statements_of_customer(customer) if allowed else [],
    }


@security_function("send_statements")
def statements(request: HttpRequest) -> HttpResponse:
    """Every A/R customer's statement of a month, printed or e-mailed, as an output job."""
    if request.method != "POST":
        return _page(request)
    form = StatementRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.statement_run_start(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect("payments:statement_run", run.pk)
    return _page(request, run_form=form, status=400)


@require_POST
@security_function("send_statements")
def customer_statement(request: HttpRequest, customer_id: int) -> HttpResponse:
    """One customer's statement, from A/R Status."""
    customer = get_object_or_404(Customer, pk=customer_id)
    form = StatementRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.statement_run_start(
                by=request.user, customer=customer, **form.cleaned_data
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect("payments:statement_run", run.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    response = redirect("payments:ar_status", customer.pk)
    response.status_code = 303
    return response


def _run(run_id: int) -> StatementRun:
    return get_object_or_404(
        StatementRun.objects.select_related("customer", "created_by"), pk=run_id
    )


@security_function("send_statements")
def statement_run(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "payments/statements/run.html", {"run": _run(run_id)})


@security_function("send_statements")
def statement_run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "payments/statements/partials/progress.html", {"run": _run(run_id)})


@security_function("send_statements")
def statement_run_download(request: HttpRequest, run_id: int) -> FileResponse:
    run = _run(run_id)
    if run.state != StatementRun.State.DONE or not run.file:
        raise Http404("This run has no file.")
    return FileResponse(
        run.file.open("rb"),
        as_attachment=request.GET.get("download") == "1",
        filename=f"statements-{run.period:%Y-%m}.pdf",
        content_type="application/pdf",
    )


@security_function("send_statements")
def statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    """A statement printed again, as it was sent."""
    statement = get_object_or_404(Statement.objects.select_related("customer"), pk=statement_id)
    response = HttpResponse(services.statements_pdf([statement]), content_type="application/pdf")
    name = f"statement-{statement.customer_id}-{statement.period:%Y-%m}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@security_function("manage_ar_accounts")
def finance_charge_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)  # the Statements page, where this form is
    form = _settings_form(request.POST)
    if form.is_valid():
        try:
            services.finance_charge_settings_update(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "Finance charge settings saved.")
            return redirect("payments:statements")
    return _page(request, settings_form=form, status=400)


@require_http_methods(["GET", "POST"])
@security_function("apply_finance_charges")
def finance_charges_apply(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)  # the Statements page, where this form is
    form = FinanceChargeApplyForm(request.POST)
    if form.is_valid():
        try:
            charges = services.finance_charges_apply(
                by=request.user, period=form.cleaned_data["period"]
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            total = sum((c.amount for c in charges), start=0)
            period = form.cleaned_data["period"]
            messages.success(
                request,
                f"{len(charges)} finance charge{'s' if len(charges) != 1 else ''} for "
                f"{period:%B %Y}, ${total:,.2f} in all"
                + ("" if charges else " (customers charged for the month already are skipped)")
                + ".",
            )
            return redirect("payments:statements")
    return _page(request, apply_form=form, status=400)

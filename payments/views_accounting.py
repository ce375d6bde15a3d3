"""The accountant's export (a day or a month of the ledger as a journal, CSV) and its
settings page (the account names). Each view checks its function and calls one service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from payments import accounting, services
from payments.models import AccountingSettings
from payments.services.accounting import ACCOUNT_FIELDS
from reports import exports
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function


class ExportForm(forms.Form):
    period = forms.ChoiceField(
        choices=[("day", "One day"), ("month", "The whole month")], initial="day"
    )
    date = forms.DateField(
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        help_text="The day, or any day of the month.",
    )


class AccountingSettingsForm(forms.ModelForm):
    class Meta:
        model = AccountingSettings
        fields = ACCOUNT_FIELDS


@security_function("accounting_export")
def accounting_export(request: HttpRequest) -> HttpResponse:
    """The form; with `download`, the journal of the period as CSV."""
    form = ExportForm(request.GET or None, initial={"period": "day", "date": timezone.localdate()})
    if form.is_bound and form.is_valid():
        first, last = accounting.period_bounds(
            form.cleaned_data["date"], form.cleaned_data["period"]
        )
        name = f"journal-{first:%Y-%m-%d}" if first == last else f"journal-{first:%Y-%m}"
        return exports.csv_response(accounting.journal_csv_rows(first, last), name)
    context = {"form": form, "columns": accounting.COLUMN_HELP}
    return render(
        request, "payments/accounting/export.html", context, status=400 if form.errors else 200
    )


@security_function("accounting_settings")
def accounting_settings(request: HttpRequest) -> HttpResponse:
    row = accounting.accounting_settings_get()
    form = AccountingSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.accounting_settings_update(
                by=request.user, **{f: request.POST.get(f, "") for f in ACCOUNT_FIELDS}
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "Account names saved.")
            return redirect("payments:accounting_settings")
    return render(
        request,
        "payments/accounting/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )

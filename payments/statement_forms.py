"""The forms of statements and finance charges. Amounts are read as text and checked by the
services, so a bad amount gets the service's own message."""

from __future__ import annotations

from datetime import date

from django import forms

from payments.forms import amount_field
from payments.models import StatementRun
from payments.statement_selectors import previous_month


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), read as its first day."""

    widget = forms.DateInput({"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class StatementRunForm(forms.Form):
    period = MonthField(label="Month", initial=previous_month)
    delivery = forms.ChoiceField(
        label="Send by",
        choices=StatementRun.Delivery.choices,
        initial=StatementRun.Delivery.PRINT,
        widget=forms.RadioSelect,
    )
    with_finance_charges = forms.BooleanField(
        label="Apply the month's finance charges first",
        required=False,
        help_text="Once per customer and month: customers charged already are skipped.",
    )


class FinanceChargeSettingsForm(forms.Form):
    enabled = forms.BooleanField(label="Charge a monthly finance charge", required=False)
    rate = amount_field("Monthly rate (%)")
    minimum = amount_field("Minimum charge ($)")


class FinanceChargeApplyForm(forms.Form):
    period = MonthField(label="Month", initial=previous_month)

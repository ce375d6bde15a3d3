"""The counter's money forms. Amounts are read as text here and checked by the services
(payments.services.taking.money_read), so a bad amount gets the service's own message."""

from __future__ import annotations

from django import forms

from payments.models import Drawer, Tender
from payments.services import TenderInput

CARD_BRANDS = [
    ("", "Choose…"),
    ("Visa", "Visa"),
    ("Mastercard", "Mastercard"),
    ("American Express", "American Express"),
    ("Discover", "Discover"),
    ("Debit", "Debit"),
    ("Other card", "Other"),
]


def amount_field(label: str, **kwargs) -> forms.CharField:
    attrs = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}
    attrs.update(kwargs.pop("attrs", {}))
    return forms.CharField(
        label=label, required=False, max_length=20, widget=forms.TextInput(attrs)
    )


class TendersForm(forms.Form):
    """Up to one tender of each kind in one payment; an empty amount leaves a tender out."""

    cash_amount = amount_field("Cash taken", attrs={"data-tender": "cash"})
    cash_tendered = amount_field("Cash tendered", attrs={"data-cash-tendered": ""})
    check_amount = amount_field("Check amount")
    check_number = forms.CharField(label="Check number", required=False, max_length=30)
    card_amount = amount_field("Card amount")
    card_brand = forms.ChoiceField(label="Card brand", choices=CARD_BRANDS, required=False)
    card_last4 = forms.CharField(
        label="Last four digits",
        required=False,
        max_length=4,
        widget=forms.TextInput(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{4}"}
        ),
    )
    auth_code = forms.CharField(label="Authorization code", required=False, max_length=20)
    other_amount = amount_field("Other amount")
    reference = forms.CharField(
        label="What it is", required=False, max_length=60, help_text="Gift card, bank transfer…"
    )
    drawer = forms.ModelChoiceField(
        queryset=Drawer.objects.filter(is_active=True), required=False, empty_label=None
    )
    business_date = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text="Empty: today.",
    )
    note = forms.CharField(required=False, max_length=300)

    def tenders(self) -> list[TenderInput]:
        data = self.cleaned_data
        found = []
        if data.get("cash_amount"):
            found.append(
                TenderInput(
                    Tender.CASH, data["cash_amount"], amount_tendered=data.get("cash_tendered")
                )
            )
        if data.get("check_amount"):
            found.append(
                TenderInput(Tender.CHECK, data["check_amount"], check_number=data["check_number"])
            )
        if data.get("card_amount"):
            found.append(
                TenderInput(
                    Tender.CARD,
                    data["card_amount"],
                    card_brand=data["card_brand"],
                    card_last4=data["card_last4"],
                    auth_code=data["auth_code"],
                )
            )
        if data.get("other_amount"):
            found.append(
                TenderInput(Tender.OTHER, data["other_amount"], reference=data["reference"])
            )
        return found


class TakePaymentForm(TendersForm):
    expected_balance = forms.CharField(widget=forms.HiddenInput, required=False)
    keep_excess_as_credit = forms.BooleanField(
        label="Keep the rest as credit",
        required=False,
        help_text="Only when the customer means to leave more than is due on their account.",
    )


class RefundForm(forms.Form):
    amount = amount_field("Amount to refund")
    tender = forms.ChoiceField(label="Given back as", choices=Tender.choices)
    reference = forms.CharField(label="Reference", required=False, max_length=60)
    reason = forms.CharField(label="Reason", max_length=300)


class VoidForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class AccountPaymentForm(TendersForm):
    """A payment on account: oldest first, or the invoices ticked (in the order listed)."""

    APPLY_CHOICES = [("oldest", "Oldest invoices first"), ("chosen", "The invoices ticked below")]
    apply = forms.ChoiceField(
        label="Apply to", choices=APPLY_CHOICES, initial="oldest", widget=forms.RadioSelect
    )


class ArTermsForm(forms.Form):
    credit_limit = forms.CharField(label="Credit limit ($)", max_length=20)
    net_days = forms.CharField(label="Terms (net days)", max_length=4)


class DrawerDayForm(forms.Form):
    """Which drawer and day End of Day shows (GET)."""

    drawer = forms.ModelChoiceField(
        queryset=Drawer.objects.filter(is_active=True), empty_label=None
    )
    business_date = forms.DateField(label="Day", widget=forms.DateInput({"type": "date"}))


class DayCloseForm(forms.Form):
    counted_cash = amount_field("Cash counted")
    counted_check = amount_field("Checks counted")
    counted_card = amount_field("Card (terminal's batch total)")
    counted_other = amount_field("Other counted")
    counted_online = amount_field("Online (the provider's payouts for the day)")
    note = forms.CharField(
        label="Note", required=False, max_length=300, help_text="Needed when over or short."
    )

    def counted(self) -> dict[str, str]:
        return {tender: self.cleaned_data[f"counted_{tender}"] for tender in Tender.values}


class DayForm(forms.Form):
    date = forms.DateField(label="Day", widget=forms.DateInput({"type": "date"}))

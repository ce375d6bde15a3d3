from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from shop.api.fields import EARLIEST, LATEST
from workorders import selectors
from workorders.models import (
    SHOP_RECORDED_METHODS,
    JobApproval,
    LineKind,
    Package,
    Status,
    WorkOrder,
    WorkOrderSettings,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class WorkOrderHeaderForm(forms.Form):
    version = VersionField()
    advisor = forms.ModelChoiceField(queryset=selectors.advisors(), required=False)
    default_technician = forms.ModelChoiceField(
        queryset=selectors.technicians(), required=False, label="Default technician"
    )
    priority = forms.TypedChoiceField(choices=WorkOrder.Priority.choices, coerce=int)
    odometer_in = forms.IntegerField(required=False, label="Odometer in")
    odometer_out = forms.IntegerField(required=False, label="Odometer out")
    promised_at = forms.DateTimeField(
        required=False, label="Promised", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    concern = forms.CharField(
        required=False, label="Customer's concern", widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusChangeForm(forms.Form):
    version = VersionField()
    status = forms.ModelChoiceField(queryset=Status.objects.order_by("number"), label="Status")


class ReopenForm(forms.Form):
    version = VersionField()
    status = forms.ModelChoiceField(queryset=Status.objects.order_by("number"), label="Reopen as")
    reason = forms.CharField(max_length=300, label="Why reopen it?")


class JobApprovalForm(forms.Form):
    """The shop records a customer's approval or refusal of one job (services.approvals)."""

    version = VersionField()
    decision = forms.ChoiceField(
        choices=[
            (JobApproval.Decision.APPROVED, "Approve"),
            (JobApproval.Decision.DECLINED, "Decline"),
        ],
        label="Decision",
    )
    method = forms.ChoiceField(
        choices=[(m.value, m.label) for m in SHOP_RECORDED_METHODS], label="How"
    )
    by_name = forms.CharField(
        max_length=160,
        required=False,
        label="Given by",
        help_text="By phone: who gave it. Empty: the customer.",
    )
    at = forms.DateTimeField(
        required=False,
        label="When",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="Empty: now.",
    )
    note = forms.CharField(max_length=300, required=False, label="Note")


class JobForm(forms.Form):
    version = VersionField()
    title = forms.CharField(max_length=160, label="Job")
    category = forms.CharField(
        max_length=60, required=False, help_text="Empty: the job's title.", label="Category"
    )


class PackageChoiceForm(forms.Form):
    version = VersionField()
    package = forms.ModelChoiceField(
        queryset=Package.objects.filter(is_active=True).order_by("name"), label="Package"
    )


class JobNotesForm(forms.Form):
    version = VersionField()
    # Plain choices from a list the view loads once: the editor draws this form for
    # every job, and a ModelChoiceField would query the technicians each time.
    technician = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    customer_notes = forms.CharField(
        required=False, label="Customer-facing notes", widget=forms.Textarea(attrs={"rows": 2})
    )
    internal_notes = forms.CharField(
        required=False, label="Internal notes", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, technicians: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._technicians = {t.pk: t for t in technicians}
        self.fields["technician"].choices = [("", "The work order's default")] + [
            (t.pk, str(t)) for t in technicians
        ]

    def clean_technician(self):
        pk = self.cleaned_data["technician"]
        return self._technicians.get(pk) if pk else None


TAX_CHOICES = [("", "By type"), ("yes", "Taxed"), ("no", "Not taxed")]


class LineForm(forms.Form):
    version = VersionField()
    kind = forms.ChoiceField(choices=LineKind.choices, label="Type")
    part_number = forms.CharField(max_length=40, required=False, label="Part #")
    description = forms.CharField(max_length=200, label="Description")
    # Text, not number fields: the service explains a bad or negative value in words.
    quantity = forms.CharField(max_length=20, label="Qty / hours", initial="1")
    unit_price = forms.CharField(
        max_length=20, required=False, label="Price / rate", help_text="Empty labor: shop rate."
    )
    unit_cost = forms.CharField(max_length=20, required=False, label="Cost")
    discount = forms.CharField(max_length=20, required=False, label="Discount")
    taxable = forms.ChoiceField(choices=TAX_CHOICES, required=False, label="Tax")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        taxable = data.pop("taxable")
        data["taxable"] = None if not taxable else taxable == "yes"
        for name in ("unit_cost", "discount"):
            data[name] = data[name] or "0"
        if not data["unit_price"]:
            data["unit_price"] = None if data["kind"] == LineKind.LABOR else "0"
        return data


class StatusForm(forms.ModelForm):
    class Meta:
        model = Status
        fields = [
            "number",
            "name",
            "colour",
            "time_display",
            "default_minutes",
            "send_customer_update",
            "message_template",
        ]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "message_template": forms.Textarea(attrs={"rows": 3}),
        }


class WorkOrderSettingsForm(forms.ModelForm):
    class Meta:
        model = WorkOrderSettings
        fields = [
            "estimate_from",
            "estimate_to",
            "repair_order_from",
            "repair_order_to",
            "invoice_from",
            "invoice_to",
            "labor_part_number",
            "labor_description",
            "labor_hours",
            "board_warning_minutes",
            "labor_rate",
        ]
        help_texts = {"labor_rate": "Empty: the shop's labor rate."}


class AppointmentForm(forms.Form):
    """Books an appointment, or (given the time it has now as `booked_at`) changes one.

    A new time must lie in the years 1900 to 2999, the range the API takes too, and not
    more than a day back: a day's grace lets the desk record a walk-in it booked late, but
    a typo'd year does not land the appointment in a past nobody looks at. An appointment
    already in the past keeps its time when only its concern or advisor changes."""

    starts_at = forms.DateTimeField(
        label="Date and time", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    concern = forms.CharField(label="Concern", widget=forms.Textarea(attrs={"rows": 3}))
    advisor = forms.ModelChoiceField(queryset=selectors.advisors(), required=False)

    PAST_GRACE = timedelta(days=1)

    def __init__(self, *args, booked_at: datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.booked_at = booked_at

    def is_move(self, starts_at: datetime) -> bool:
        """Whether `starts_at` is a new time (the field holds whole minutes)."""
        if self.booked_at is None:
            return True
        return starts_at != self.booked_at.replace(second=0, microsecond=0)

    def clean_starts_at(self) -> datetime:
        starts_at = self.cleaned_data["starts_at"]
        if not EARLIEST <= starts_at < LATEST:
            raise forms.ValidationError(
                "Give a time between the years 1900 and 2999.", code="out_of_range"
            )
        if self.is_move(starts_at) and starts_at < timezone.now() - self.PAST_GRACE:
            raise forms.ValidationError(
                "That time has passed: choose a time from today on.", code="past"
            )
        return starts_at


class AppointmentCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Customer called, will rebook"}),
    )


class LineEditForm(forms.Form):
    """A line changed in place, in its row. Its type stays; only labor has a technician."""

    version = VersionField()
    part_number = forms.CharField(max_length=40, required=False, label="Part #")
    description = forms.CharField(max_length=200, label="Description")
    # Text, not number fields: the service explains a bad or negative value in words.
    quantity = forms.CharField(max_length=20, label="Quantity")
    unit_price = forms.CharField(max_length=20, required=False, label="Price")
    unit_cost = forms.CharField(max_length=20, required=False, label="Cost")
    discount = forms.CharField(max_length=20, required=False, label="Discount")
    taxable = forms.ChoiceField(choices=[("yes", "Taxed"), ("no", "Not taxed")], label="Tax")
    technician = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Technician"
    )

    def __init__(self, *args, line, technicians: list, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "part_number": line.part_number,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "unit_cost": line.unit_cost,
                "discount": line.discount,
                "taxable": "yes" if line.taxable else "no",
                "technician": line.technician_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.line = line
        if line.kind == LineKind.LABOR:
            self._technicians = {t.pk: t for t in technicians}
            self.fields["technician"].choices = [("", "Not assigned")] + [
                (t.pk, str(t)) for t in technicians
            ]
            self.fields["quantity"].label = "Hours"
            self.fields["unit_price"].label = "Rate"
            self.fields["unit_price"].help_text = "Empty: the shop's rate."
        else:
            del self.fields["technician"]

    def clean_technician(self):
        pk = self.cleaned_data["technician"]
        if pk and pk not in self._technicians:
            raise forms.ValidationError("Choose one of the technicians.")
        return self._technicians.get(pk) if pk else None

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        data["taxable"] = data["taxable"] == "yes"
        for name in ("unit_cost", "discount"):
            data[name] = data[name] or "0"
        data["unit_price"] = data["unit_price"] or None
        return data

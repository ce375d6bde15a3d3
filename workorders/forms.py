from __future__ import annotations

from django import forms

from workorders import selectors
from workorders.models import LineKind, Package, Status, WorkOrder, WorkOrderSettings

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
    starts_at = forms.DateTimeField(
        label="Date and time", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    concern = forms.CharField(label="Concern", widget=forms.Textarea(attrs={"rows": 3}))
    advisor = forms.ModelChoiceField(queryset=selectors.advisors(), required=False)


class AppointmentCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Customer called, will rebook"}),
    )

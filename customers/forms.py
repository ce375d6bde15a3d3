from __future__ import annotations

from django import forms

from customers.models import Customer, CustomerPhone, CustomerSource, Vehicle
from customers.phones import phone_hint, phone_normalize
from shop.errors import ServiceError


class CounterPhoneForm(forms.Form):
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = phone_hint()


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "kind",
            "first_name",
            "last_name",
            "company_name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postcode",
            "source",
            "is_ar",
            "text_consent",
            "email_consent",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"kind": "Customer is a", "source": "How they found us"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = CustomerSource.objects.filter(is_active=True)

    def _post_clean(self):
        # The services own the rules (and model validation would reject a blank
        # name field that the service accepts for a company); skip the model's.
        pass


class PhoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "aria-describedby": "phones-hint"}),
    )
    kind = forms.ChoiceField(label="Type", choices=CustomerPhone.Kind.choices)
    extension = forms.CharField(label="Ext.", max_length=10, required=False)

    def add_error(self, field, error):
        super().add_error(field, error)
        if field == "number":
            # Setting the hint replaced Django's own description: name the error too.
            self.fields["number"].widget.attrs["aria-describedby"] = (
                f"phones-hint {self['number'].auto_id}_error"
            )

    def clean(self):
        # The number is read here too (the service checks it again when it saves), so a
        # bad number is shown together with the other rows' errors, not after them.
        data = super().clean()
        number = data.get("number")
        if number and not data.get("DELETE"):
            try:
                phone_normalize(number, field="number")
            except ServiceError as error:
                self.add_error("number", error.message)
        return data


class EmailForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    address = forms.EmailField(label="E-mail", required=False)


class PhoneRows(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": "At most %(num)d phones: remove one first."}


class EmailRows(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": "At most %(num)d e-mails: remove one first."}


# One blank row is offered; the form's "Add another" buttons add more, up to ten,
# and a post with more is refused (validate_max) rather than saved.
PhoneFormSet = forms.formset_factory(
    PhoneForm, formset=PhoneRows, extra=1, can_delete=True, max_num=10, validate_max=True
)
EmailFormSet = forms.formset_factory(
    EmailForm, formset=EmailRows, extra=1, can_delete=True, max_num=10, validate_max=True
)


def formset_rows(formset: forms.BaseFormSet, required: str) -> list[dict]:
    """The filled-in rows of a formset, without those ticked for deletion."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get(required):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = [
            "vin",
            "year",
            "make",
            "model",
            "engine",
            "plate",
            "plate_state",
            "color",
            "odometer",
            "annual_mileage",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "vin": "17 characters. Year and make are filled in from the VIN when left blank.",
            "annual_mileage": "Estimated miles a year, for service reminders.",
        }
        labels = {"plate_state": "Plate state", "annual_mileage": "Miles a year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vin"].max_length = 24  # spaces and dashes are removed by the service
        self.fields["vin"].widget.attrs["maxlength"] = 24
        self.fields["vin"].validators = []
        self.fields["plate"].widget.attrs["maxlength"] = 16
        self.fields["plate"].max_length = 16
        self.fields["plate"].validators = []
        self.fields["annual_mileage"].required = False

    def _post_clean(self):
        pass  # the services own the rules (VIN, plate, year)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search customers",
        required=False,
        max_length=100,
        help_text="Name (typos are fine), phone or its last digits, plate or VIN.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
